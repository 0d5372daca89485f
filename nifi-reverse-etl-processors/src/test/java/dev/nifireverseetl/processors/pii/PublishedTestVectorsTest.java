package dev.nifireverseetl.processors.pii;

import dev.nifireverseetl.processors.pii.normalize.InvalidValueException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The test vectors of destinations.md §4.3, byte for byte: each raw example of §4.1/§4.2 is normalised by its preset's
 * rule to the documented string, whose SHA-256 hex is the documented hash.
 */
class PublishedTestVectorsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T00:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} {1}: [{2}] -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "Meta Custom Audiences           | email      | `  John.Doe@Example.COM ` | john.doe@example.com | 836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
        "Meta Custom Audiences           | phone      | +1 (650) 555-1212         | 16505551212          | e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
        "Meta Custom Audiences           | phone      | (650) 555-1212            | 16505551212          | e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
        "Google Ads Customer Match       | phone      | (650) 555-1212            | +16505551212         | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
        "Google Ads Enhanced Conversions | phone      | +1 650-555-1212           | +16505551212         | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
        "Google Ads Enhanced Conversions | email      | John.Doe@Gmail.com        | johndoe@gmail.com    | 06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3",
        "Google Ads Customer Match       | email      | John.Doe@Gmail.com        | john.doe@gmail.com   | 375320dd9ae7ed408002f3768e16cb5f28c861062fd50dff9a3bff62e9dce4ef",
        "Google Ads Customer Match       | email      | ` John.Doe@Example.COM  ` | john.doe@example.com | 836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
        "Meta Custom Audiences           | first_name | Mary-Jane                 | maryjane             | f08f448a5e7a9dc3619bb7c129f6a7d5fc6af002cea17ad71dfdc1c68f4d4e0e",
        "Meta Custom Audiences           | last_name  | José                      | josé                 | d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866",
        "Meta Custom Audiences           | city       | Menlo Park                | menlopark            | 0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685",
        "Meta Custom Audiences           | state      | California                | ca                   | 6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
        "Meta Custom Audiences           | state      | CA                        | ca                   | 6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
        "Meta Custom Audiences           | zip        | 94025-1234                | 94025                | b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7",
        "Meta Custom Audiences           | country    | US                        | us                   | 79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
        "Meta Custom Audiences           | gender     | Female                    | f                    | 252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
        "TikTok Events API               | email      | ` John.Doe@Example.COM `  | john.doe@example.com | 836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
        "TikTok Events API               | phone      | (650) 555-1212            | +16505551212         | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
        "Generic SHA-256                 | email      | JOHN.DOE@EXAMPLE.COM      | john.doe@example.com | 836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
        "Generic SHA-256                 | phone      | +1 650 555 1212           | +16505551212         | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
    })
    void rawExampleNormalisesAndHashesToThePublishedVector(final String presetName, final String typeName, final String raw,
                                                           final String normalized, final String sha256) throws InvalidValueException {
        final HashPreset preset = preset(presetName);
        final FieldRule rule = preset.rule(PiiFieldType.fromValue(typeName), "US", CLOCK);
        final String actualNormalized = rule.normalizer().normalize(raw);
        assertEquals(normalized, actualNormalized);
        assertEquals(sha256, new ValueHasher(null).sha256Hex(actualNormalized));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "john.doe@example.com | 836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f",
        "16505551212          | e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176",
        "+16505551212         | 1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8",
        "johndoe@gmail.com    | 06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3",
        "john.doe@gmail.com   | 375320dd9ae7ed408002f3768e16cb5f28c861062fd50dff9a3bff62e9dce4ef",
        "maryjane             | f08f448a5e7a9dc3619bb7c129f6a7d5fc6af002cea17ad71dfdc1c68f4d4e0e",
        "josé                 | d994e1d001886fe5b45b1267bd1fa2b752ac50742579bd3dad7b2a2aa0ed6866",
        "menlopark            | 0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685",
        "ca                   | 6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126",
        "94025                | b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7",
        "us                   | 79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
        "f                    | 252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
        "1990                 | a7be8e1fe282a37cd666e0632b17d933fa13f21addf4798fc0455bc166e2488c",
    })
    void normalisedStringHashesToThePublishedVector(final String normalized, final String sha256) {
        assertEquals(sha256, new ValueHasher(null).sha256Hex(normalized));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "date_of_birth | 1990-03-07 | 19900307",
        "date_of_birth | 19900307   | 19900307",
        "date_of_birth | 1990/03/07 | 19900307",
        "gender        | MALE       | m",
        "country       | USA        | us",
        "country       | Germany    | de",
        "country       | GBR        | gb",
        "zip           | SW1A 1AA   | sw1a1aa",
        "zip           | 940251234  | 94025",
        "state         | New York   | ny",
        "state         | Île-de-France | îledefrance",
    })
    void metaRulesForTheOtherFieldTypes(final String typeName, final String raw, final String normalized) throws InvalidValueException {
        assertEquals(normalized, HashPreset.META_CUSTOM_AUDIENCES.rule(PiiFieldType.fromValue(typeName), "US", CLOCK).normalizer().normalize(raw));
    }

    @ParameterizedTest(name = "{0}: [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
        "country | united states | US",
        "zip     | SW1A 1AA      | SW1A 1AA",
        "city    | Menlo Park    | Menlo Park",
        "state   | CA            | CA",
    })
    void googleSendsAddressFieldsInTheClear(final String typeName, final String raw, final String expected) throws InvalidValueException {
        final FieldRule rule = HashPreset.GOOGLE_ADS_CUSTOMER_MATCH.rule(PiiFieldType.fromValue(typeName), "US", CLOCK);
        assertEquals(false, rule.hashed());
        assertEquals(expected, rule.normalizer().normalize(raw));
    }

    private static HashPreset preset(final String displayName) {
        for (final HashPreset preset : HashPreset.values()) {
            if (preset.getDisplayName().equals(displayName)) {
                return preset;
            }
        }
        throw new IllegalArgumentException(displayName);
    }
}
