package org.hotline.backbone.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks a caller's personal data for logs and for readers who may not see it in full
 * (138****5678, 张*). Every service uses this one rule, so masked values look the same everywhere.
 */
public final class Mask {

    /** Mainland mobile numbers (with or without +86) and landlines with their area code, inside any text. */
    private static final Pattern PHONE_IN_TEXT = Pattern.compile("(?<!\\d)(\\+?86[- ]?)?(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})(?!\\d)");

    private Mask() {
    }

    /** 13812345678 → 138****5678; short or odd values keep at most their last two digits. */
    public static String phone(String phone) {
        if (phone == null || phone.isEmpty()) {
            return phone;
        }
        // the digits by hand: a regex here (replaceAll compiles its pattern on every call) was a
        // third of the cost of intake's log line for every ticket (issue 18, item 1)
        StringBuilder kept = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                kept.append(c);
            }
        }
        String digits = kept.toString();
        if (digits.length() >= 11) {
            String local = digits.substring(digits.length() - 11);
            return local.substring(0, 3) + "****" + local.substring(7);
        }
        if (digits.length() >= 7) {
            return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
        }
        return "*".repeat(Math.max(0, digits.length() - 2)) + digits.substring(Math.max(0, digits.length() - 2));
    }

    /** 张三 → 张*, Zhang San → Z*: the first character and a star. */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            return name;
        }
        return name.substring(0, Character.charCount(name.codePointAt(0))) + "*";
    }

    /** Every phone number found in free text (descriptions, comments, messages) masked. */
    public static String phonesIn(String text) {
        if (text == null || !hasSevenDigitsInARow(text)) {
            return text;
        }
        Matcher m = PHONE_IN_TEXT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(phone(m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Every number the pattern matches has seven digits in a row (a landline's subscriber part, a
     * mobile number): a text without such a run is returned as it is, without the regex, which
     * was 3 % of notification's CPU under load (every message text passes here).
     */
    private static boolean hasSevenDigitsInARow(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run == 7) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }
}
