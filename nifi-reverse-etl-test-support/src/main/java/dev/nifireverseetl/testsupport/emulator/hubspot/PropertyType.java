package dev.nifireverseetl.testsupport.emulator.hubspot;

/**
 * HubSpot property types the emulator validates (destinations.md §1.5).
 */
public enum PropertyType {
    /** Any string. */
    STRING,
    /** A decimal number as a string. */
    NUMBER,
    /** "true" or "false". */
    BOOL,
    /** Epoch milliseconds at exactly 00:00:00 UTC, or YYYY-MM-DD. */
    DATE,
    /** Epoch milliseconds or an ISO-8601 instant. */
    DATETIME,
    /** One of the configured option values; several separated by ";" for multi-checkbox properties. */
    ENUMERATION,
    /** An e-mail address (contacts' email). */
    EMAIL
}
