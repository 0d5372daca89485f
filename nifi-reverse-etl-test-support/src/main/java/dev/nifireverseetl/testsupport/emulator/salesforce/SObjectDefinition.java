package dev.nifireverseetl.testsupport.emulator.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metadata of one sObject (standard or custom): name, key prefix and fields. Field names are matched
 * case-insensitively, as Salesforce does. Every definition has the system fields {@code Id}, {@code CreatedDate} and
 * {@code LastModifiedDate}.
 */
public final class SObjectDefinition {

    private final String name;
    private final String keyPrefix;
    private final Map<String, FieldDefinition> fieldsByLowerName;

    private SObjectDefinition(final String name, final String keyPrefix, final Map<String, FieldDefinition> fieldsByLowerName) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.fieldsByLowerName = fieldsByLowerName;
    }

    /**
     * @param name      API name, for example {@code Contact} or {@code Invoice__c}
     * @param keyPrefix the three characters its record ids start with, for example {@code 003} or {@code a01}
     */
    public static SObjectDefinition named(final String name, final String keyPrefix) {
        if (keyPrefix == null || keyPrefix.length() != 3) {
            throw new IllegalArgumentException("A key prefix has three characters");
        }
        final Map<String, FieldDefinition> fields = new LinkedHashMap<>();
        final FieldDefinition id = new FieldDefinition("Id", FieldType.ID, 18, false, false, false, false, true, false, true, List.of(), null, null);
        fields.put("id", id);
        fields.put("createddate", FieldDefinition.of("CreatedDate", FieldType.DATETIME).asReadOnly());
        fields.put("lastmodifieddate", FieldDefinition.of("LastModifiedDate", FieldType.DATETIME).asReadOnly());
        return new SObjectDefinition(name, keyPrefix, fields);
    }

    /**
     * @return a copy with this field added (or replaced)
     */
    public SObjectDefinition field(final FieldDefinition field) {
        final Map<String, FieldDefinition> fields = new LinkedHashMap<>(fieldsByLowerName);
        fields.put(field.name().toLowerCase(Locale.ROOT), field);
        return new SObjectDefinition(name, keyPrefix, fields);
    }

    public String name() {
        return name;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * @return the field with this name (any case), or null
     */
    public FieldDefinition field(final String fieldName) {
        return fieldName == null ? null : fieldsByLowerName.get(fieldName.toLowerCase(Locale.ROOT));
    }

    /**
     * @return the reference field whose relationship name is this (any case), or null
     */
    public FieldDefinition relationship(final String relationshipName) {
        for (final FieldDefinition field : fieldsByLowerName.values()) {
            if (field.relationshipName() != null && field.relationshipName().equalsIgnoreCase(relationshipName)) {
                return field;
            }
        }
        return null;
    }

    public Collection<FieldDefinition> fields() {
        return Collections.unmodifiableCollection(fieldsByLowerName.values());
    }

    List<FieldDefinition> uniqueFields() {
        final List<FieldDefinition> unique = new ArrayList<>();
        for (final FieldDefinition field : fieldsByLowerName.values()) {
            if ((field.unique() || field.externalId()) && field.type() != FieldType.ID) {
                unique.add(field);
            }
        }
        return unique;
    }

    /**
     * A Contact as most orgs have it, plus the custom External ID field {@code Warehouse_Id__c} and a lookup to Account.
     */
    public static SObjectDefinition standardContact() {
        return named("Contact", "003")
                .field(FieldDefinition.text("FirstName", 40))
                .field(FieldDefinition.text("LastName", 80).required())
                .field(FieldDefinition.of("Email", FieldType.EMAIL).withLength(80))
                .field(FieldDefinition.of("Phone", FieldType.PHONE).withLength(40))
                .field(FieldDefinition.of("Birthdate", FieldType.DATE))
                .field(FieldDefinition.of("HasOptedOutOfEmail", FieldType.BOOLEAN))
                .field(FieldDefinition.of("LeadSource", FieldType.PICKLIST).withRestrictedPicklist(List.of("Web", "Phone Inquiry", "Partner Referral", "Other")))
                .field(FieldDefinition.of("Lifetime_Value__c", FieldType.CURRENCY))
                .field(FieldDefinition.of("Orders__c", FieldType.INT))
                .field(FieldDefinition.of("Last_Order_At__c", FieldType.DATETIME))
                .field(FieldDefinition.reference("AccountId", "Account", "Account"))
                .field(FieldDefinition.text("Warehouse_Id__c", 40).asExternalId());
    }

    /**
     * An Account with the custom External ID field {@code Warehouse_Id__c}.
     */
    public static SObjectDefinition standardAccount() {
        return named("Account", "001")
                .field(FieldDefinition.text("Name", 255).required())
                .field(FieldDefinition.of("Website", FieldType.URL))
                .field(FieldDefinition.of("NumberOfEmployees", FieldType.INT))
                .field(FieldDefinition.text("Warehouse_Id__c", 40).asExternalId());
    }
}
