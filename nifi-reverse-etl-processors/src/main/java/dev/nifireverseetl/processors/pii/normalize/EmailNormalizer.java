package dev.nifireverseetl.processors.pii.normalize;

/**
 * Normalises an email address: NFKC (full-width {@code ＠} and digits become ASCII), whitespace removal (only at the
 * ends, or everywhere), optional removal of dots at the ends (Meta's SDK) and of dots in the local part of Gmail
 * addresses (Google Enhanced Conversions), then lower case. Rejects anything that is not {@code local@domain.tld}.
 */
public final class EmailNormalizer implements FieldNormalizer {

    private final boolean removeAllWhitespace;
    private final boolean stripOuterDots;
    private final boolean removeGmailLocalDots;

    /**
     * @param removeAllWhitespace  true to remove whitespace anywhere (Google's sample), false to trim the ends only
     * @param stripOuterDots       true to strip {@code .} at both ends (Meta's SDK)
     * @param removeGmailLocalDots true to remove every {@code .} before the {@code @} of gmail.com and googlemail.com
     */
    public EmailNormalizer(final boolean removeAllWhitespace, final boolean stripOuterDots, final boolean removeGmailLocalDots) {
        this.removeAllWhitespace = removeAllWhitespace;
        this.stripOuterDots = stripOuterDots;
        this.removeGmailLocalDots = removeGmailLocalDots;
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        String email = UnicodeText.removeFormatCharacters(UnicodeText.nfkc(value));
        email = removeAllWhitespace ? UnicodeText.removeWhitespace(email) : email.strip();
        if (stripOuterDots) {
            email = stripDotsAndWhitespace(email);
        }
        email = UnicodeText.lowerCase(email);
        final int at = email.indexOf('@');
        if (at < 0) {
            throw new InvalidValueException("email_missing_at", "an email address needs an '@'");
        }
        if (email.indexOf('@', at + 1) >= 0) {
            throw new InvalidValueException("email_several_at", "an email address has exactly one '@'");
        }
        if (at == 0) {
            throw new InvalidValueException("email_empty_local_part", "an email address needs a local part before the '@'");
        }
        final String domain = email.substring(at + 1);
        final int lastDot = domain.lastIndexOf('.');
        if (lastDot <= 0 || lastDot == domain.length() - 1 || domain.startsWith(".") || domain.contains("..")) {
            throw new InvalidValueException("email_invalid_domain", "an email address needs a domain such as example.com after the '@'");
        }
        for (int index = 0; index < email.length(); index++) {
            if (UnicodeText.isWhitespace(email.charAt(index)) || Character.isISOControl(email.charAt(index))) {
                throw new InvalidValueException("email_contains_whitespace", "an email address cannot contain whitespace or control characters");
            }
        }
        if (removeGmailLocalDots && ("gmail.com".equals(domain) || "googlemail.com".equals(domain))) {
            final String localPart = email.substring(0, at).replace(".", "");
            if (localPart.isEmpty()) {
                throw new InvalidValueException("email_empty_local_part", "an email address needs a local part before the '@'");
            }
            email = localPart + email.substring(at);
        }
        return email;
    }

    private static String stripDotsAndWhitespace(final String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isStrippable(text.charAt(start))) {
            start++;
        }
        while (end > start && isStrippable(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isStrippable(final char character) {
        return character == '.' || character == '\0' || UnicodeText.isWhitespace(character);
    }
}
