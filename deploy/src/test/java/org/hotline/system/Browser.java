package org.hotline.system;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium from Debian's packages (/usr/bin/chromium), driven by Debian's
 * chromedriver (/usr/bin/chromedriver) through Selenium. Selenium Manager is never asked for
 * anything: both paths are given. Each browser gets a fresh profile directory.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("hotline.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("hotline.chromedriver", "/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeOptions options, Path profile) {
        this.profile = profile;
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        this.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    static void requireInstalled() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run does)");
        }
    }

    private static ChromeOptions options(Path profile) {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--disable-features=Translate,MediaRouter", "--lang=zh-CN",
                "--user-data-dir=" + profile);
        return o;
    }

    /** A desktop browser (the command room's screens are 1280 px and up). */
    static Browser desktop(int width, int height) throws IOException {
        requireInstalled();
        Path profile = Files.createTempDirectory("hotline-chromium-");
        ChromeOptions o = options(profile);
        o.addArguments("--window-size=" + width + "," + height);
        return new Browser(o, profile);
    }

    /** A phone: 360 CSS pixels wide, touch, device pixel ratio 2. */
    static Browser phone() throws IOException {
        requireInstalled();
        Path profile = Files.createTempDirectory("hotline-chromium-");
        ChromeOptions o = options(profile);
        o.addArguments("--window-size=360,780");
        o.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", 360, "height", 740, "pixelRatio", 2.0, "touch", true)));
        return new Browser(o, profile);
    }

    /** Lets pages of {@code origin} read this position (the phone's GPS). */
    void position(String origin, double latitude, double longitude) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin, "permissions", List.of("geolocation")));
        driver.executeCdpCommand("Emulation.setGeolocationOverride",
                Map.of("latitude", latitude, "longitude", longitude, "accuracy", 10));
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    boolean present(String css) {
        return !all(css).isEmpty();
    }

    String text(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static ConditionFactory await(String what, Duration atMost) {
        return Awaitility.await(what).atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    /** Waits for the element and clicks it. */
    void click(String css) {
        await("clickable " + css, Duration.ofSeconds(10)).until(() -> {
            WebElement e = find(css);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /**
     * Waits for the element and types into it. Live screens re-render rows as events arrive, so an
     * element found a moment ago may be gone: the whole find-and-type is retried, as for a click.
     */
    void keys(String css, CharSequence... keys) {
        await("typing into " + css, Duration.ofSeconds(10)).until(() -> {
            find(css).sendKeys(keys);
            return true;
        });
    }

    /** Chooses {value} in the {index}-th select matching {css}, retried as a click is (the page may re-render). */
    void select(String css, int index, String value) {
        await("choosing " + value + " in " + css, Duration.ofSeconds(10)).until(() -> {
            new org.openqa.selenium.support.ui.Select(all(css).get(index)).selectByValue(value);
            return true;
        });
    }

    /**
     * The value of the {index}-th form control matching {css} (a select's choice, a text's text), or
     * "" when there is none (yet). Read again if a live re-render replaced the element between
     * finding and reading it (a stale element, seen in CI), as a click is retried.
     */
    String value(String css, int index) {
        for (int attempt = 1;; attempt++) {
            try {
                List<WebElement> found = all(css);
                return found.size() <= index ? "" : String.valueOf(js("return arguments[0].value;", found.get(index)));
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                if (attempt == 10) {
                    throw replaced;
                }
            }
        }
    }

    void until(String what, Duration atMost, Callable<Boolean> condition) {
        await(what, atMost).until(condition);
    }

    /** Saves a PNG of the viewport under deploy/target/screenshots (and docs/screenshots when asked). */
    void screenshot(String name) {
        try {
            Path dir = ServiceProcess.root().resolve("deploy/target/screenshots");
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
            if (Boolean.getBoolean("screenshots.docs")) {
                Path docs = ServiceProcess.root().resolve("docs/screenshots");
                Files.createDirectories(docs);
                Files.copy(png, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("screenshot " + name, e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir
            }
        }
    }
}
