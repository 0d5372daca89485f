package dev.nifireverseetl.processors.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Set;

/**
 * Builds the JSON objects of users and organizations from mapped fields: Zendesk's own attributes go at the top level,
 * every other field is a custom field ({@code user_fields} / {@code organization_fields}, keyed by the field key).
 * A nested {@code user_fields} / {@code organization_fields} map in the record is merged in as is.
 */
public final class ZendeskPayloads {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** Attributes of the Zendesk user object that can be written (reference §3.3 and the OAS UserCreateInput). */
    public static final Set<String> USER_ATTRIBUTES = Set.of("name", "email", "external_id", "alias", "details", "notes", "locale", "locale_id",
            "organization_id", "organization", "phone", "shared_phone_number", "remote_photo_url", "role", "custom_role_id", "moderator",
            "only_private_comments", "restricted_agent", "signature", "suspended", "tags", "ticket_restriction", "time_zone", "iana_time_zone",
            "verified", "skip_verify_email", "default_group_id", "user_fields");

    /** Attributes of the Zendesk organization object that can be written. */
    public static final Set<String> ORGANIZATION_ATTRIBUTES = Set.of("name", "external_id", "details", "notes", "domain_names", "group_id",
            "shared_tickets", "shared_comments", "tags", "organization_fields");

    private ZendeskPayloads() {
    }

    /**
     * @param matchField    the identity attribute the key travels in ({@code external_id} or {@code email})
     * @param matchKey      its value
     * @param destinationId the Zendesk id when known (sent as {@code id}), or null
     * @param fields        mapped, converted fields (JSON-serializable values)
     */
    public static ObjectNode user(final String matchField, final String matchKey, final Long destinationId, final Map<String, Object> fields) {
        return object(USER_ATTRIBUTES, "user_fields", matchField, matchKey, destinationId, fields);
    }

    public static ObjectNode organization(final String matchKey, final Long destinationId, final Map<String, Object> fields) {
        return object(ORGANIZATION_ATTRIBUTES, "organization_fields", "external_id", matchKey, destinationId, fields);
    }

    private static ObjectNode object(final Set<String> attributes, final String customContainer, final String matchField, final String matchKey,
                                     final Long destinationId, final Map<String, Object> fields) {
        final ObjectNode node = MAPPER.createObjectNode();
        if (destinationId != null) {
            node.put("id", destinationId);
        }
        ObjectNode custom = null;
        for (final Map.Entry<String, Object> field : fields.entrySet()) {
            final String name = field.getKey();
            if ("id".equals(name)) {
                continue;
            }
            if (customContainer.equals(name) && field.getValue() instanceof Map<?, ?> nested) {
                custom = custom == null ? node.putObject(customContainer) : custom;
                custom.setAll((ObjectNode) MAPPER.valueToTree(nested));
            } else if (attributes.contains(name)) {
                node.set(name, MAPPER.valueToTree(field.getValue()));
            } else {
                custom = custom == null ? node.putObject(customContainer) : custom;
                custom.set(name, MAPPER.valueToTree(field.getValue()));
            }
        }
        if (matchKey != null && matchField != null) {
            node.put(matchField, matchKey);
        }
        return node;
    }
}
