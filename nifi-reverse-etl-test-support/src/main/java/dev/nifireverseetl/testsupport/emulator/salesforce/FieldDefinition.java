package dev.nifireverseetl.testsupport.emulator.salesforce;

import java.util.List;

/**
 * The metadata of one field of an sObject, as the describe resource reports it and as the emulator enforces it.
 * Immutable: each {@code with}-style method returns a copy.
 *
 * @param name                      the field's API name
 * @param type                      its type
 * @param length                    maximum length of text values (0: no limit)
 * @param nillable                  false: the field is required (REQUIRED_FIELD_MISSING when missing on create or cleared)
 * @param createable                the field can be set on create
 * @param updateable                the field can be set on update
 * @param externalId                flagged External ID (usable for upsert and relationship references)
 * @param unique                    values are unique (DUPLICATE_VALUE otherwise)
 * @param caseSensitive             unique matching is case-sensitive ("Unique - case sensitive")
 * @param defaultedOnCreate         the server gives a value on create when none is sent
 * @param restrictedPicklistValues  for a restricted picklist: the allowed API values (empty: unrestricted)
 * @param referenceTo               for a reference field: the sObject it points at
 * @param relationshipName          for a reference field: the name used for references by external id
 */
public record FieldDefinition(String name, FieldType type, int length, boolean nillable, boolean createable, boolean updateable,
                              boolean externalId, boolean unique, boolean caseSensitive, boolean defaultedOnCreate,
                              List<String> restrictedPicklistValues, String referenceTo, String relationshipName) {

    public FieldDefinition {
        restrictedPicklistValues = restrictedPicklistValues == null ? List.of() : List.copyOf(restrictedPicklistValues);
    }

    /**
     * @return an optional, createable and updateable field of this type
     */
    public static FieldDefinition of(final String name, final FieldType type) {
        return new FieldDefinition(name, type, type.isText() ? 255 : 0, true, true, true, false, false, false, false, List.of(), null, null);
    }

    public static FieldDefinition text(final String name, final int length) {
        return of(name, FieldType.STRING).withLength(length);
    }

    /**
     * @return a reference (lookup) field, for example {@code AccountId} to {@code Account} with relationship name {@code Account}
     */
    public static FieldDefinition reference(final String name, final String referenceTo, final String relationshipName) {
        return new FieldDefinition(name, FieldType.REFERENCE, 18, true, true, true, false, false, false, false, List.of(), referenceTo, relationshipName);
    }

    public FieldDefinition withLength(final int maximumLength) {
        return new FieldDefinition(name, type, maximumLength, nillable, createable, updateable, externalId, unique, caseSensitive, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    /**
     * @return the same field, required (not nillable)
     */
    public FieldDefinition required() {
        return new FieldDefinition(name, type, length, false, createable, updateable, externalId, unique, caseSensitive, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    /**
     * @return the same field flagged External ID and Unique (case-insensitive, the usual setting)
     */
    public FieldDefinition asExternalId() {
        return new FieldDefinition(name, type, length, nillable, createable, updateable, true, true, caseSensitive, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    /**
     * @return the same field flagged External ID but not Unique (several records may share a value)
     */
    public FieldDefinition asNonUniqueExternalId() {
        return new FieldDefinition(name, type, length, nillable, createable, updateable, true, false, caseSensitive, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    public FieldDefinition asUnique() {
        return new FieldDefinition(name, type, length, nillable, createable, updateable, externalId, true, caseSensitive, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    public FieldDefinition asCaseSensitive() {
        return new FieldDefinition(name, type, length, nillable, createable, updateable, externalId, unique, true, defaultedOnCreate,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    public FieldDefinition asReadOnly() {
        return new FieldDefinition(name, type, length, nillable, false, false, externalId, unique, caseSensitive, true,
                restrictedPicklistValues, referenceTo, relationshipName);
    }

    public FieldDefinition withRestrictedPicklist(final List<String> values) {
        return new FieldDefinition(name, FieldType.PICKLIST, length, nillable, createable, updateable, externalId, unique, caseSensitive, defaultedOnCreate,
                values, referenceTo, relationshipName);
    }

    /**
     * @return true when the field can identify a record (Id and External ID fields), as describe's {@code idLookup}
     */
    public boolean idLookup() {
        return type == FieldType.ID || externalId;
    }

    /**
     * @return true when a create without a value for this field fails with REQUIRED_FIELD_MISSING
     */
    boolean requiredOnCreate() {
        return !nillable && createable && !defaultedOnCreate && type != FieldType.BOOLEAN;
    }
}
