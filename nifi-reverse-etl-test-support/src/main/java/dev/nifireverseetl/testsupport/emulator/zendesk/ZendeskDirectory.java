package dev.nifireverseetl.testsupport.emulator.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nifireverseetl.testsupport.emulator.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The users and organizations of one emulated Zendesk account, with Zendesk's matching rules (reference §3.4): a user
 * is matched by {@code email} (any of its email identities) or by {@code external_id}, both case-insensitively; the
 * stored external_id takes the casing last sent; a different email on update adds a secondary identity; an external_id
 * matching one user while the email belongs to another fails with a duplicate-email error. Organizations are matched by
 * id or external_id (case-insensitive), never by name; names are unique. Not thread-safe: {@link ZendeskEmulator}
 * serialises access.
 */
final class ZendeskDirectory {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> USER_READ_ONLY = Set.of("id", "url", "created_at", "updated_at", "identities");

    private final Map<Long, ObjectNode> users = new LinkedHashMap<>();
    private final Map<Long, List<String>> userEmails = new HashMap<>();
    private final Map<String, Long> userByEmail = new HashMap<>();
    private final Map<String, Long> userByExternalId = new HashMap<>();
    private final Map<Long, ObjectNode> organizations = new LinkedHashMap<>();
    private final Map<String, Long> organizationByExternalId = new HashMap<>();
    private final Map<String, Long> organizationByName = new HashMap<>();
    private final List<UserRule> userRules = new ArrayList<>();
    private final LongSupplier clock;
    private long nextUserId = 360_000_000_001L;
    private long nextOrganizationId = 900_000_000_001L;
    private long deletedUsers;

    ZendeskDirectory(final LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Items matching the predicate fail with this error (for partial-failure tests).
     */
    void rejectUsers(final Predicate<JsonNode> predicate, final String error, final String details) {
        userRules.add(new UserRule(predicate, error, details));
    }

    // ---------------------------------------------------------------- users

    ZendeskItemResult createOrUpdateUser(final int index, final JsonNode item) {
        final ItemFailure failure = validateUser(item);
        if (failure != null) {
            return ZendeskItemResult.failed(index, failure.error, failure.details);
        }
        final String email = text(item, "email");
        final String externalId = text(item, "external_id");
        final Long byExternalId = externalId == null ? null : userByExternalId.get(lower(externalId));
        final Long byEmail = email == null ? null : userByEmail.get(lower(email));
        if (byExternalId != null && byEmail != null && !byExternalId.equals(byEmail)) {
            return ZendeskItemResult.failed(index, "DuplicateValue", "Email: " + email + " is already being used by another user");
        }
        final Long existing = byExternalId != null ? byExternalId : byEmail;
        if (existing != null) {
            final ItemFailure updateFailure = applyUser(users.get(existing), item);
            return updateFailure == null ? ZendeskItemResult.upserted(index, users.get(existing), false)
                    : ZendeskItemResult.failed(index, updateFailure.error, updateFailure.details);
        }
        final ItemFailure createFailure = validateNewUser(item);
        if (createFailure != null) {
            return ZendeskItemResult.failed(index, createFailure.error, createFailure.details);
        }
        return ZendeskItemResult.upserted(index, insertUser(item), true);
    }

    ZendeskItemResult createUser(final int index, final JsonNode item) {
        final ItemFailure failure = validateUser(item);
        if (failure != null) {
            return ZendeskItemResult.failed(index, failure.error, failure.details);
        }
        final String email = text(item, "email");
        final String externalId = text(item, "external_id");
        if (email != null && userByEmail.containsKey(lower(email))) {
            return ZendeskItemResult.failed(index, "DuplicateValue", "Email: " + email + " is already being used by another user");
        }
        if (externalId != null && userByExternalId.containsKey(lower(externalId))) {
            return ZendeskItemResult.failed(index, "DuplicateValue", "External: " + externalId + " has already been taken");
        }
        final ItemFailure createFailure = validateNewUser(item);
        if (createFailure != null) {
            return ZendeskItemResult.failed(index, createFailure.error, createFailure.details);
        }
        return ZendeskItemResult.created(index, insertUser(item));
    }

    /**
     * One user of update_many, found by id (batch form) or by the id / external id of the query (bulk form).
     */
    ZendeskItemResult updateUser(final int index, final Long id, final String externalId, final JsonNode changes) {
        final Long found = id != null ? (users.containsKey(id) ? id : null) : userByExternalId.get(lower(externalId));
        final Object reference = id != null ? id : externalId;
        if (found == null) {
            return ZendeskItemResult.actionFailed(index, "update", reference, "RecordNotFound", "User not found");
        }
        final ItemFailure failure = validateUser(changes);
        if (failure != null) {
            return ZendeskItemResult.actionFailed(index, "update", found, failure.error, failure.details);
        }
        final ItemFailure updateFailure = applyUser(users.get(found), changes);
        if (updateFailure != null) {
            return ZendeskItemResult.actionFailed(index, "update", found, updateFailure.error, updateFailure.details);
        }
        return ZendeskItemResult.actioned(index, "update", found, "Updated");
    }

    ZendeskItemResult destroyUser(final int index, final Long id, final String externalId) {
        final Long found = id != null ? (users.containsKey(id) ? id : null) : userByExternalId.get(lower(externalId));
        if (found == null) {
            return ZendeskItemResult.actionFailed(index, "delete", id != null ? id : externalId, "RecordNotFound", "User not found");
        }
        deleteUser(found);
        return ZendeskItemResult.actioned(index, "delete", found, "Deleted");
    }

    ObjectNode user(final long id) {
        return users.get(id);
    }

    ObjectNode userByExternalId(final String externalId) {
        final Long id = externalId == null ? null : userByExternalId.get(lower(externalId));
        return id == null ? null : users.get(id);
    }

    ObjectNode userByEmail(final String email) {
        final Long id = email == null ? null : userByEmail.get(lower(email));
        return id == null ? null : users.get(id);
    }

    List<ObjectNode> users() {
        return new ArrayList<>(users.values());
    }

    List<String> emailsOf(final long id) {
        return List.copyOf(userEmails.getOrDefault(id, List.of()));
    }

    long deletedUsers() {
        return deletedUsers;
    }

    void deleteUser(final long id) {
        final ObjectNode removed = users.remove(id);
        if (removed == null) {
            return;
        }
        for (final String email : userEmails.getOrDefault(id, List.of())) {
            userByEmail.remove(lower(email));
        }
        userEmails.remove(id);
        if (removed.hasNonNull("external_id")) {
            userByExternalId.remove(lower(removed.get("external_id").asText()));
        }
        deletedUsers++;
    }

    private ItemFailure validateUser(final JsonNode item) {
        if (item == null || !item.isObject()) {
            return new ItemFailure("InvalidValue", "User: must be an object");
        }
        for (final UserRule rule : userRules) {
            if (rule.predicate.test(item)) {
                return new ItemFailure(rule.error, rule.details);
            }
        }
        final String email = text(item, "email");
        if (email != null && !EMAIL.matcher(email).matches()) {
            return new ItemFailure("InvalidValue", "Email: " + email + " is not properly formatted");
        }
        final JsonNode organizationId = item.get("organization_id");
        if (organizationId != null && !organizationId.isNull() && !organizations.containsKey(organizationId.asLong())) {
            return new ItemFailure("InvalidValue", "Organization: " + organizationId.asText() + " is invalid");
        }
        final String role = text(item, "role");
        if (role != null && !Set.of("end-user", "agent", "admin").contains(role)) {
            return new ItemFailure("InvalidValue", "Role: " + role + " is not a valid role");
        }
        return null;
    }

    private static ItemFailure validateNewUser(final JsonNode item) {
        final String name = text(item, "name");
        if (name == null || name.isBlank()) {
            return new ItemFailure("InvalidValue", "Name: is too short (minimum one character)");
        }
        return null;
    }

    private ObjectNode insertUser(final JsonNode item) {
        final long id = nextUserId++;
        final ObjectNode user = Json.object("id", id, "url", "https://emulated.zendesk.com/api/v2/users/" + id + ".json", "role", "end-user",
                "active", true, "suspended", false, "verified", false, "tags", Json.MAPPER.createArrayNode(), "user_fields", Json.object(),
                "created_at", timestamp());
        users.put(id, user);
        userEmails.put(id, new ArrayList<>());
        applyUser(user, item);
        return user;
    }

    /**
     * @return a failure when the change would break a uniqueness rule (nothing is changed then), else null
     */
    private ItemFailure applyUser(final ObjectNode user, final JsonNode changes) {
        final long id = user.get("id").asLong();
        final String email = text(changes, "email");
        if (email != null) {
            final Long owner = userByEmail.get(lower(email));
            if (owner != null && owner != id) {
                return new ItemFailure("DuplicateValue", "Email: " + email + " is already being used by another user");
            }
        }
        final String externalId = text(changes, "external_id");
        if (externalId != null) {
            final Long owner = userByExternalId.get(lower(externalId));
            if (owner != null && owner != id) {
                return new ItemFailure("DuplicateValue", "External: " + externalId + " has already been taken");
            }
        }
        final Map<String, JsonNode> fields = new LinkedHashMap<>();
        changes.fields().forEachRemaining(entry -> fields.put(entry.getKey(), entry.getValue()));
        for (final Map.Entry<String, JsonNode> field : fields.entrySet()) {
            final String name = field.getKey();
            if (USER_READ_ONLY.contains(name) || "email".equals(name) || "external_id".equals(name) || "skip_verify_email".equals(name)) {
                continue;
            }
            if ("user_fields".equals(name) && field.getValue().isObject()) {
                final ObjectNode merged = ((ObjectNode) user.get("user_fields")).deepCopy();
                merged.setAll((ObjectNode) field.getValue());
                user.set("user_fields", merged);
            } else {
                user.set(name, field.getValue());
            }
        }
        if (email != null) {
            final List<String> emails = userEmails.get(id);
            if (emails.stream().noneMatch(known -> known.equalsIgnoreCase(email))) {
                emails.add(email);
                userByEmail.put(lower(email), id);
            }
            user.put("email", emails.getFirst());
        }
        if (externalId != null) {
            if (user.hasNonNull("external_id")) {
                userByExternalId.remove(lower(user.get("external_id").asText()));
            }
            user.put("external_id", externalId);
            userByExternalId.put(lower(externalId), id);
        } else if (changes.has("external_id") && user.hasNonNull("external_id")) {
            userByExternalId.remove(lower(user.get("external_id").asText()));
            user.putNull("external_id");
        }
        user.put("updated_at", timestamp());
        return null;
    }

    // ---------------------------------------------------------------- organizations

    /**
     * organizations/create_or_update: matched by id or external_id only.
     *
     * @return the result; {@code created()} tells 201 from 200
     */
    OrganizationWrite createOrUpdateOrganization(final JsonNode item) {
        final Long id = item.hasNonNull("id") ? item.get("id").asLong() : null;
        final String externalId = text(item, "external_id");
        Long existing = id != null && organizations.containsKey(id) ? id : null;
        if (existing == null && externalId != null) {
            existing = organizationByExternalId.get(lower(externalId));
        }
        if (existing != null) {
            final ItemFailure failure = applyOrganization(organizations.get(existing), item);
            return new OrganizationWrite(organizations.get(existing), false, failure);
        }
        final ItemFailure failure = validateNewOrganization(item);
        if (failure != null) {
            return new OrganizationWrite(null, true, failure);
        }
        return new OrganizationWrite(insertOrganization(item), true, null);
    }

    ZendeskItemResult createOrganization(final int index, final JsonNode item) {
        final ItemFailure failure = validateNewOrganization(item);
        if (failure != null) {
            return ZendeskItemResult.failed(index, failure.error, failure.details);
        }
        final String externalId = text(item, "external_id");
        if (externalId != null && organizationByExternalId.containsKey(lower(externalId))) {
            return ZendeskItemResult.failed(index, "DuplicateValue", "External: " + externalId + " has already been taken");
        }
        return ZendeskItemResult.created(index, insertOrganization(item));
    }

    ZendeskItemResult updateOrganization(final int index, final Long id, final String externalId, final JsonNode changes) {
        final Long found = id != null ? (organizations.containsKey(id) ? id : null) : organizationByExternalId.get(lower(externalId));
        if (found == null) {
            return ZendeskItemResult.actionFailed(index, "update", id != null ? id : externalId, "RecordNotFound", "Organization not found");
        }
        final ItemFailure failure = applyOrganization(organizations.get(found), changes);
        if (failure != null) {
            return ZendeskItemResult.actionFailed(index, "update", found, failure.error, failure.details);
        }
        return ZendeskItemResult.actioned(index, "update", found, "Updated");
    }

    ObjectNode organization(final long id) {
        return organizations.get(id);
    }

    ObjectNode organizationByExternalId(final String externalId) {
        final Long id = externalId == null ? null : organizationByExternalId.get(lower(externalId));
        return id == null ? null : organizations.get(id);
    }

    ObjectNode organizationByName(final String name) {
        final Long id = name == null ? null : organizationByName.get(lower(name));
        return id == null ? null : organizations.get(id);
    }

    List<ObjectNode> organizations() {
        return new ArrayList<>(organizations.values());
    }

    private ItemFailure validateNewOrganization(final JsonNode item) {
        if (item == null || !item.isObject()) {
            return new ItemFailure("InvalidValue", "Organization: must be an object");
        }
        final String name = text(item, "name");
        if (name == null || name.isBlank()) {
            return new ItemFailure("InvalidValue", "Name: cannot be blank");
        }
        if (organizationByName.containsKey(lower(name))) {
            return new ItemFailure("DuplicateValue", "Name: has already been taken");
        }
        return null;
    }

    private ObjectNode insertOrganization(final JsonNode item) {
        final long id = nextOrganizationId++;
        final ObjectNode organization = Json.object("id", id, "url", "https://emulated.zendesk.com/api/v2/organizations/" + id + ".json",
                "domain_names", Json.MAPPER.createArrayNode(), "tags", Json.MAPPER.createArrayNode(), "organization_fields", Json.object(),
                "shared_tickets", false, "shared_comments", false, "created_at", timestamp());
        organizations.put(id, organization);
        applyOrganization(organization, item);
        return organization;
    }

    private ItemFailure applyOrganization(final ObjectNode organization, final JsonNode changes) {
        final long id = organization.get("id").asLong();
        final String name = text(changes, "name");
        if (name != null) {
            final Long owner = organizationByName.get(lower(name));
            if (owner != null && owner != id) {
                return new ItemFailure("DuplicateValue", "Name: has already been taken");
            }
        }
        final String externalId = text(changes, "external_id");
        if (externalId != null) {
            final Long owner = organizationByExternalId.get(lower(externalId));
            if (owner != null && owner != id) {
                return new ItemFailure("DuplicateValue", "External: " + externalId + " has already been taken");
            }
        }
        final Set<String> names = new LinkedHashSet<>();
        changes.fieldNames().forEachRemaining(names::add);
        for (final String field : names) {
            if (Set.of("id", "url", "created_at", "updated_at", "name", "external_id").contains(field)) {
                continue;
            }
            if ("organization_fields".equals(field) && changes.get(field).isObject()) {
                final ObjectNode merged = ((ObjectNode) organization.get("organization_fields")).deepCopy();
                merged.setAll((ObjectNode) changes.get(field));
                organization.set(field, merged);
            } else {
                organization.set(field, changes.get(field));
            }
        }
        if (name != null) {
            if (organization.hasNonNull("name")) {
                organizationByName.remove(lower(organization.get("name").asText()));
            }
            organization.put("name", name);
            organizationByName.put(lower(name), id);
        }
        if (externalId != null) {
            if (organization.hasNonNull("external_id")) {
                organizationByExternalId.remove(lower(organization.get("external_id").asText()));
            }
            organization.put("external_id", externalId);
            organizationByExternalId.put(lower(externalId), id);
        }
        organization.put("updated_at", timestamp());
        return null;
    }

    // ---------------------------------------------------------------- helpers

    private String timestamp() {
        return Instant.ofEpochMilli(clock.getAsLong()).toString();
    }

    static String text(final JsonNode node, final String field) {
        final JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String lower(final String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    record ItemFailure(String error, String details) {
    }

    record OrganizationWrite(ObjectNode organization, boolean created, ItemFailure failure) {
    }

    private record UserRule(Predicate<JsonNode> predicate, String error, String details) {
    }
}
