package dev.nifireverseetl.processors.pii.normalize;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Normalises a date of birth to {@code YYYYMMDD}. Accepts ISO-ordered dates only ({@code 1990-03-07},
 * {@code 1990/03/07}, {@code 1990.03.07}, {@code 19900307}; record DATE values arrive as {@code 1990-03-07}):
 * day-first and month-first dates are ambiguous and are rejected rather than guessed. The year must be 1900 or later
 * and the date not in the future.
 */
public final class DateOfBirthNormalizer implements FieldNormalizer {

    private final Clock clock;

    public DateOfBirthNormalizer(final Clock clock) {
        this.clock = clock;
    }

    @Override
    public String normalize(final String value) throws InvalidValueException {
        final String text = value.strip();
        final int year;
        final int month;
        final int day;
        if (text.length() == 8 && allDigits(text)) {
            year = Integer.parseInt(text, 0, 4, 10);
            month = Integer.parseInt(text, 4, 6, 10);
            day = Integer.parseInt(text, 6, 8, 10);
        } else if (text.length() == 10 && isSeparator(text.charAt(4)) && text.charAt(7) == text.charAt(4)
                && allDigits(text.substring(0, 4) + text.substring(5, 7) + text.substring(8, 10))) {
            year = Integer.parseInt(text, 0, 4, 10);
            month = Integer.parseInt(text, 5, 7, 10);
            day = Integer.parseInt(text, 8, 10, 10);
        } else {
            throw new InvalidValueException("date_of_birth_format", "a date of birth must be written year first: YYYY-MM-DD or YYYYMMDD");
        }
        final LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (final DateTimeException e) {
            throw new InvalidValueException("date_of_birth_not_a_date", "a date of birth must be a real calendar date");
        }
        if (year < 1900 || date.isAfter(LocalDate.now(clock))) {
            throw new InvalidValueException("date_of_birth_out_of_range", "a date of birth must be between 1900-01-01 and today");
        }
        return text.substring(0, 4) + (text.length() == 8 ? text.substring(4, 8) : text.substring(5, 7) + text.substring(8, 10));
    }

    private static boolean isSeparator(final char character) {
        return character == '-' || character == '/' || character == '.';
    }

    private static boolean allDigits(final String text) {
        for (int index = 0; index < text.length(); index++) {
            if (text.charAt(index) < '0' || text.charAt(index) > '9') {
                return false;
            }
        }
        return true;
    }
}
