package org.hotline.notification.service;

import java.util.Map;

import org.hotline.backbone.security.Mask;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Message texts: Qute templates in src/main/resources/templates/notify/{locale}/{event type}.txt.
 * A locale without a template for the type falls back to English, then to a generic English text.
 * Every rendered text goes through {@link Mask#phonesIn} as a last guard: events carry only the
 * masked caller phone, and a full number must never reach a message by mistake.
 */
@ApplicationScoped
public class Templates {

    public static final String FALLBACK_LOCALE = "en";

    private final Engine engine;

    public Templates(Engine engine) {
        this.engine = engine;
    }

    public String render(String type, String locale, Map<String, Object> model) {
        Template t = find(locale, type);
        if (t == null) {
            t = find(FALLBACK_LOCALE, type);
        }
        if (t == null) {
            t = find(FALLBACK_LOCALE, "_default");
        }
        return Mask.phonesIn(t.data("m", model).data("type", type).render().strip());
    }

    /** The locale a text was actually rendered in (for the API and the webhook body). */
    public String resolvedLocale(String type, String locale) {
        return find(locale, type) != null ? locale : FALLBACK_LOCALE;
    }

    private Template find(String locale, String type) {
        return engine.getTemplate("notify/" + locale + "/" + type + ".txt");
    }
}
