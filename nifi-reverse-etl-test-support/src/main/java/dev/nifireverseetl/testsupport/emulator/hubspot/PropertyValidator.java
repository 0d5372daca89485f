package dev.nifireverseetl.testsupport.emulator.hubspot;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates property values as HubSpot does (destinations.md §1.5): unknown and read-only properties, numbers,
 * booleans, dates at exactly midnight UTC, datetimes, enumeration options, e-mail addresses. An empty string is always
 * valid (it clears the property).
 */
final class PropertyValidator {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final long DAY_MILLIS = 86_400_000L;

    private PropertyValidator() {
    }

    static List<ObjectNode> validate(final ObjectSchema schema, final Map<String, String> properties) {
        final List<ObjectNode> errors = new ArrayList<>();
        for (final Map.Entry<String, String> entry : properties.entrySet()) {
            final String name = entry.getKey();
            final String value = entry.getValue();
            final HubSpotProperty property = schema.get(name);
            if (property == null) {
                errors.add(HubSpotEmulator.detail("PROPERTY_DOESNT_EXIST", "Property \"" + name + "\" does not exist", name));
                continue;
            }
            if (property.readOnly()) {
                errors.add(HubSpotEmulator.detail("READ_ONLY_VALUE", "Property \"" + name + "\" is a read only property; its value cannot be set.", name));
                continue;
            }
            if (value == null || value.isEmpty()) {
                continue;
            }
            final String problem = problem(property, value);
            if (problem != null) {
                errors.add(HubSpotEmulator.detail(code(property), problem, name));
            }
        }
        return errors;
    }

    private static String code(final HubSpotProperty property) {
        return switch (property.type()) {
            case NUMBER -> "INVALID_DECIMAL";
            case BOOL -> "INVALID_BOOLEAN";
            case DATE -> "INVALID_DATE";
            case DATETIME -> "INVALID_DATETIME";
            case ENUMERATION -> "INVALID_OPTION";
            case EMAIL -> "INVALID_EMAIL";
            case STRING -> "INVALID_STRING";
        };
    }

    private static String problem(final HubSpotProperty property, final String value) {
        switch (property.type()) {
            case NUMBER -> {
                try {
                    new BigDecimal(value);
                    return null;
                } catch (final NumberFormatException e) {
                    return value + " was not a valid number.";
                }
            }
            case BOOL -> {
                return "true".equals(value) || "false".equals(value) ? null : value + " was not a valid boolean (true or false).";
            }
            case DATE -> {
                return dateProblem(value);
            }
            case DATETIME -> {
                if (value.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                try {
                    Instant.parse(value);
                    return null;
                } catch (final DateTimeParseException e) {
                    return value + " is not a valid datetime (epoch milliseconds or ISO-8601).";
                }
            }
            case ENUMERATION -> {
                final String[] values = property.multiple() ? value.split(";") : new String[]{value};
                for (final String option : values) {
                    if (!property.options().contains(option)) {
                        return option + " was not one of the allowed options: " + String.join(", ", property.options().stream().sorted().toList());
                    }
                }
                return null;
            }
            case EMAIL -> {
                return EMAIL.matcher(value.trim()).matches() ? null : "Email address " + value + " is invalid";
            }
            default -> {
                return null;
            }
        }
    }

    private static String dateProblem(final String value) {
        if (value.chars().allMatch(Character::isDigit)) {
            final long millis;
            try {
                millis = Long.parseLong(value);
            } catch (final NumberFormatException e) {
                return value + " is not a valid date.";
            }
            return millis % DAY_MILLIS == 0 ? null : value + " is at " + Instant.ofEpochMilli(millis) + ": date properties take a date at midnight UTC";
        }
        try {
            LocalDate.parse(value);
            return null;
        } catch (final DateTimeParseException e) {
            return value + " is not a valid date (epoch milliseconds at midnight UTC or YYYY-MM-DD).";
        }
    }
}
