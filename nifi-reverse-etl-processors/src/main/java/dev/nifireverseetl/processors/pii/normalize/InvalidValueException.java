package dev.nifireverseetl.processors.pii.normalize;

/**
 * A value that cannot be normalised under a platform's rule. The message names the rule that was broken and never
 * contains the value itself, so it is safe for logs, bulletins and record error fields. No stack trace is captured:
 * invalid values are expected data, not programming errors.
 */
public final class InvalidValueException extends Exception {

    private final String rule;

    /**
     * @param rule a short machine-readable rule name, for example {@code email_missing_at}
     * @param description what is wrong, in words, without the value
     */
    public InvalidValueException(final String rule, final String description) {
        super(description, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
