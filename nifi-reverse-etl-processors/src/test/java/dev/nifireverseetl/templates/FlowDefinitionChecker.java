package dev.nifireverseetl.templates;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nifireverseetl.state.AbstractSyncStateService;
import dev.nifireverseetl.state.SyncStateException;
import dev.nifireverseetl.state.SyncStateService;
import dev.nifireverseetl.state.SyncStateStore;
import dev.nifireverseetl.testsupport.records.JsonLinesReader;
import dev.nifireverseetl.testsupport.records.JsonLinesWriter;
import dev.nifireverseetl.testsupport.services.StaticAccessTokenProvider;
import org.apache.nifi.annotation.behavior.DynamicProperties;
import org.apache.nifi.annotation.behavior.DynamicProperty;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.ConfigurableComponent;
import org.apache.nifi.components.PropertyDependency;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.flow.Bundle;
import org.apache.nifi.flow.VersionedConnection;
import org.apache.nifi.flow.VersionedControllerService;
import org.apache.nifi.flow.VersionedParameter;
import org.apache.nifi.flow.VersionedParameterContext;
import org.apache.nifi.flow.VersionedProcessGroup;
import org.apache.nifi.flow.VersionedProcessor;
import org.apache.nifi.flow.VersionedPropertyDescriptor;
import org.apache.nifi.oauth2.OAuth2AccessTokenProvider;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.registry.flow.RegisteredFlowSnapshot;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.util.MockProcessContext;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a NiFi 2.x flow definition (the JSON of "Download flow definition", a {@link RegisteredFlowSnapshot}) against
 * the components of this bundle: every processor and controller service of ours it names must exist with exactly the
 * property names and allowable values it uses, every relationship of ours must be connected or auto-terminated,
 * service references and parameters must resolve, and no sensitive value may be written inline.
 */
final class FlowDefinitionChecker {

    static final String OUR_PACKAGE = "dev.nifireverseetl.";
    static final String OUR_GROUP = "dev.nifireverseetl";
    static final String OUR_NAR = "nifi-reverse-etl-nar";
    private static final Pattern PARAMETER_REFERENCE = Pattern.compile("#\\{([^}]+)}");
    private static final String SENSITIVE_PLACEHOLDER = "a-value-set-after-import";
    private static final ObjectMapper OBJECT_MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String expectedVersion;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, VersionedParameter> parameters = new HashMap<>();
    private String flowName;

    FlowDefinitionChecker(final String expectedVersion) {
        this.expectedVersion = expectedVersion;
    }

    static RegisteredFlowSnapshot read(final Path file) throws IOException {
        return OBJECT_MAPPER.readValue(file.toFile(), RegisteredFlowSnapshot.class);
    }

    /**
     * @return every problem of the flow; empty when it is good
     */
    List<String> check(final String name, final RegisteredFlowSnapshot snapshot) {
        problems.clear();
        parameters.clear();
        flowName = name;
        final VersionedProcessGroup root = snapshot.getFlowContents();
        if (root == null) {
            problems.add(name + ": no flowContents");
            return List.copyOf(problems);
        }
        collectParameters(snapshot, root);
        checkGroup(root, Set.of(), snapshot);
        return List.copyOf(problems);
    }

    private void collectParameters(final RegisteredFlowSnapshot snapshot, final VersionedProcessGroup root) {
        if (snapshot.getParameterContexts() == null) {
            return;
        }
        final String contextName = root.getParameterContextName();
        final VersionedParameterContext context = contextName == null ? null : snapshot.getParameterContexts().get(contextName);
        if (contextName != null && context == null) {
            problems.add(flowName + ": parameter context '" + contextName + "' is not defined");
            return;
        }
        if (context != null && context.getParameters() != null) {
            for (final VersionedParameter parameter : context.getParameters()) {
                parameters.put(parameter.getName(), parameter);
                if (parameter.isSensitive() && parameter.getValue() != null && !parameter.getValue().isEmpty()) {
                    problems.add(flowName + ": sensitive parameter '" + parameter.getName() + "' has a value in the file");
                }
            }
        }
    }

    private void checkGroup(final VersionedProcessGroup group, final Set<String> inheritedServiceIds, final RegisteredFlowSnapshot snapshot) {
        final Set<String> serviceIds = new HashSet<>(inheritedServiceIds);
        if (group.getControllerServices() != null) {
            for (final VersionedControllerService service : group.getControllerServices()) {
                serviceIds.add(service.getIdentifier());
            }
        }
        if (snapshot.getExternalControllerServices() != null) {
            serviceIds.addAll(snapshot.getExternalControllerServices().keySet());
        }
        final Set<String> componentIds = new HashSet<>();
        addIds(componentIds, group);
        if (group.getControllerServices() != null) {
            for (final VersionedControllerService service : group.getControllerServices()) {
                checkControllerService(service, serviceIds);
            }
        }
        final Map<String, Set<String>> connectedRelationships = new HashMap<>();
        if (group.getConnections() != null) {
            for (final VersionedConnection connection : group.getConnections()) {
                final String source = connection.getSource() == null ? null : connection.getSource().getId();
                final String destination = connection.getDestination() == null ? null : connection.getDestination().getId();
                if (source == null || !componentIds.contains(source)) {
                    problems.add(flowName + ": connection " + connection.getIdentifier() + " has an unknown source " + source);
                }
                if (destination == null || !componentIds.contains(destination)) {
                    problems.add(flowName + ": connection " + connection.getIdentifier() + " has an unknown destination " + destination);
                }
                if (source != null && connection.getSelectedRelationships() != null) {
                    connectedRelationships.computeIfAbsent(source, ignored -> new HashSet<>()).addAll(connection.getSelectedRelationships());
                }
            }
        }
        if (group.getProcessors() != null) {
            for (final VersionedProcessor processor : group.getProcessors()) {
                checkProcessor(processor, serviceIds, connectedRelationships.getOrDefault(processor.getIdentifier(), Set.of()));
            }
        }
        if (group.getProcessGroups() != null) {
            for (final VersionedProcessGroup child : group.getProcessGroups()) {
                checkGroup(child, serviceIds, snapshot);
            }
        }
    }

    private static void addIds(final Set<String> ids, final VersionedProcessGroup group) {
        if (group.getProcessors() != null) {
            group.getProcessors().forEach(processor -> ids.add(processor.getIdentifier()));
        }
        if (group.getFunnels() != null) {
            group.getFunnels().forEach(funnel -> ids.add(funnel.getIdentifier()));
        }
        if (group.getInputPorts() != null) {
            group.getInputPorts().forEach(port -> ids.add(port.getIdentifier()));
        }
        if (group.getOutputPorts() != null) {
            group.getOutputPorts().forEach(port -> ids.add(port.getIdentifier()));
        }
        if (group.getProcessGroups() != null) {
            for (final VersionedProcessGroup child : group.getProcessGroups()) {
                if (child.getInputPorts() != null) {
                    child.getInputPorts().forEach(port -> ids.add(port.getIdentifier()));
                }
                if (child.getOutputPorts() != null) {
                    child.getOutputPorts().forEach(port -> ids.add(port.getIdentifier()));
                }
            }
        }
    }

    private void checkProcessor(final VersionedProcessor processor, final Set<String> serviceIds, final Set<String> connected) {
        final String where = flowName + ": processor '" + processor.getName() + "'";
        checkReferencesAndParameters(where, processor.getProperties());
        if (processor.getType() == null || !processor.getType().startsWith(OUR_PACKAGE)) {
            checkForeignBundle(where, processor.getBundle());
            return;
        }
        checkOurBundle(where, processor.getBundle());
        final Processor instance;
        final TestRunner runner;
        try {
            final Class<?> type = Class.forName(processor.getType());
            runner = TestRunners.newTestRunner(type.asSubclass(Processor.class));
            instance = runner.getProcessor();
        } catch (final ClassNotFoundException | ClassCastException e) {
            problems.add(where + " names " + processor.getType() + ", which is not a processor of this bundle");
            return;
        }
        checkProperties(where, instance, processor.getProperties(), serviceIds);
        checkDescriptors(where, instance, processor.getPropertyDescriptors());
        checkValidWithParameterValues(where, runner, processor.getProperties());
        final Set<String> relationshipNames = new HashSet<>();
        for (final Relationship relationship : instance.getRelationships()) {
            relationshipNames.add(relationship.getName());
        }
        final Set<String> autoTerminated = processor.getAutoTerminatedRelationships() == null ? Set.of() : processor.getAutoTerminatedRelationships();
        for (final String name : autoTerminated) {
            if (!relationshipNames.contains(name)) {
                problems.add(where + " auto-terminates unknown relationship '" + name + "'");
            }
        }
        for (final String name : connected) {
            if (!relationshipNames.contains(name)) {
                problems.add(where + " connects unknown relationship '" + name + "'");
            }
        }
        for (final String name : relationshipNames) {
            if (!autoTerminated.contains(name) && !connected.contains(name)) {
                problems.add(where + " leaves relationship '" + name + "' neither connected nor auto-terminated");
            }
        }
    }

    /**
     * Configures the real processor as the flow does, with each parameter replaced by its value from the parameter
     * context (a sensitive one by a placeholder) and each referenced controller service by a stand-in of the same API,
     * and asks NiFi's validation whether the processor would be valid: this catches values the property's validator
     * rejects (a malformed mapping, URL or time period), not only unknown names.
     */
    private void checkValidWithParameterValues(final String where, final TestRunner runner, final Map<String, String> properties) {
        if (properties == null) {
            return;
        }
        final Processor processor = runner.getProcessor();
        for (final Map.Entry<String, String> property : properties.entrySet()) {
            if (property.getValue() == null) {
                continue;
            }
            final PropertyDescriptor descriptor = processor.getPropertyDescriptor(property.getKey());
            final String value = resolveParameters(property.getValue());
            if (descriptor.getControllerServiceDefinition() != null) {
                addStandIn(runner, descriptor.getControllerServiceDefinition(), value);
            }
            runner.setProperty(property.getKey(), value);
        }
        final Collection<ValidationResult> results = ((MockProcessContext) runner.getProcessContext()).validate();
        for (final ValidationResult result : results) {
            if (!result.isValid()) {
                problems.add(where + " is not valid with the parameter context's values: " + result.getSubject() + ": " + result.getExplanation());
            }
        }
    }

    private String resolveParameters(final String value) {
        final Matcher matcher = PARAMETER_REFERENCE.matcher(value);
        final StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            final VersionedParameter parameter = parameters.get(matcher.group(1));
            final String replacement = parameter == null || parameter.getValue() == null ? SENSITIVE_PLACEHOLDER : parameter.getValue();
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static void addStandIn(final TestRunner runner, final Class<? extends ControllerService> api, final String identifier) {
        if (runner.getControllerService(identifier) != null) {
            return;
        }
        final ControllerService standIn;
        if (RecordReaderFactory.class.isAssignableFrom(api)) {
            standIn = new JsonLinesReader();
        } else if (RecordSetWriterFactory.class.isAssignableFrom(api)) {
            standIn = new JsonLinesWriter();
        } else if (SyncStateService.class.isAssignableFrom(api)) {
            standIn = new UnopenedSyncStateService();
        } else if (OAuth2AccessTokenProvider.class.isAssignableFrom(api)) {
            standIn = new StaticAccessTokenProvider(() -> SENSITIVE_PLACEHOLDER);
        } else {
            return;
        }
        try {
            runner.addControllerService(identifier, standIn);
        } catch (final InitializationException e) {
            throw new IllegalStateException("Cannot add a stand-in for " + api.getSimpleName(), e);
        }
        runner.enableControllerService(standIn);
    }

    /**
     * A SyncStateService for validation only: it is never opened, so any call fails.
     */
    private static final class UnopenedSyncStateService extends AbstractSyncStateService {
        @Override
        protected SyncStateStore store() {
            throw new SyncStateException("Validation stand-in: no state store is open");
        }
    }

    private void checkControllerService(final VersionedControllerService service, final Set<String> serviceIds) {
        final String where = flowName + ": controller service '" + service.getName() + "'";
        checkReferencesAndParameters(where, service.getProperties());
        if (service.getType() == null || !service.getType().startsWith(OUR_PACKAGE)) {
            checkForeignBundle(where, service.getBundle());
            return;
        }
        checkOurBundle(where, service.getBundle());
        final ConfigurableComponent instance;
        try {
            instance = (ConfigurableComponent) Class.forName(service.getType()).getDeclaredConstructor().newInstance();
        } catch (final ReflectiveOperationException | ClassCastException e) {
            problems.add(where + " names " + service.getType() + ", which is not a controller service of this bundle");
            return;
        }
        checkProperties(where, instance, service.getProperties(), serviceIds);
        checkDescriptors(where, instance, service.getPropertyDescriptors());
    }

    /**
     * The propertyDescriptors a downloaded flow carries tell NiFi on import which properties are sensitive, dynamic or
     * service references: each one written must say what the real component says.
     */
    private void checkDescriptors(final String where, final ConfigurableComponent component, final Map<String, VersionedPropertyDescriptor> written) {
        if (written == null) {
            return;
        }
        for (final VersionedPropertyDescriptor descriptor : written.values()) {
            final PropertyDescriptor actual = component.getPropertyDescriptor(descriptor.getName());
            final boolean known = component.getPropertyDescriptors().stream().anyMatch(candidate -> candidate.getName().equals(descriptor.getName()));
            if (descriptor.isSensitive() != actual.isSensitive()) {
                problems.add(where + " describes '" + descriptor.getName() + "' as " + (descriptor.isSensitive() ? "" : "not ") + "sensitive");
            }
            if (descriptor.isDynamic() == known) {
                problems.add(where + " describes '" + descriptor.getName() + "' as " + (descriptor.isDynamic() ? "" : "not ") + "dynamic");
            }
            if (descriptor.getIdentifiesControllerService() != (actual.getControllerServiceDefinition() != null)) {
                problems.add(where + " describes '" + descriptor.getName() + "' wrongly as " + (descriptor.getIdentifiesControllerService() ? "" : "not ")
                        + "a controller service reference");
            }
        }
    }

    private void checkProperties(final String where, final ConfigurableComponent component, final Map<String, String> properties, final Set<String> serviceIds) {
        final Map<String, String> configured = properties == null ? Map.of() : properties;
        final Map<String, PropertyDescriptor> descriptors = new HashMap<>();
        for (final PropertyDescriptor descriptor : component.getPropertyDescriptors()) {
            descriptors.put(descriptor.getName(), descriptor);
        }
        final boolean dynamicAllowed = component.getClass().isAnnotationPresent(DynamicProperty.class) || component.getClass().isAnnotationPresent(DynamicProperties.class);
        for (final Map.Entry<String, String> property : configured.entrySet()) {
            final PropertyDescriptor descriptor = descriptors.get(property.getKey());
            if (descriptor == null) {
                if (!dynamicAllowed) {
                    problems.add(where + " sets unknown property '" + property.getKey() + "'");
                }
                continue;
            }
            final String value = property.getValue();
            if (value == null) {
                continue;
            }
            final boolean literal = !value.contains("#{") && !value.contains("${");
            if (descriptor.isSensitive() && !value.isEmpty() && !isWholeParameterReference(value)) {
                problems.add(where + " writes sensitive property '" + descriptor.getName() + "' inline; use a sensitive parameter");
            }
            if (literal && descriptor.getAllowableValues() != null && !descriptor.getAllowableValues().isEmpty()) {
                boolean allowed = false;
                for (final AllowableValue allowable : descriptor.getAllowableValues()) {
                    allowed |= allowable.getValue().equals(value);
                }
                if (!allowed) {
                    problems.add(where + " sets '" + descriptor.getName() + "' to '" + value + "', which is not an allowable value");
                }
            }
            if (literal && descriptor.getControllerServiceDefinition() != null && !serviceIds.contains(value)) {
                problems.add(where + " points '" + descriptor.getName() + "' at unknown controller service " + value);
            }
        }
        for (final PropertyDescriptor descriptor : descriptors.values()) {
            if (descriptor.isRequired() && descriptor.getDefaultValue() == null && configured.get(descriptor.getName()) == null
                    && dependenciesSatisfied(descriptor, descriptors, configured)) {
                problems.add(where + " does not set required property '" + descriptor.getName() + "'");
            }
        }
    }

    /**
     * @return true when every property the descriptor depends on has a value (configured, or its default) that the dependency accepts
     */
    private static boolean dependenciesSatisfied(final PropertyDescriptor descriptor, final Map<String, PropertyDescriptor> descriptors,
                                                 final Map<String, String> configured) {
        for (final PropertyDependency dependency : descriptor.getDependencies()) {
            final PropertyDescriptor dependsOn = descriptors.get(dependency.getPropertyName());
            final String value = configured.getOrDefault(dependency.getPropertyName(), dependsOn == null ? null : dependsOn.getDefaultValue());
            if (value == null) {
                return false;
            }
            if (dependency.getDependentValues() != null && !dependency.getDependentValues().contains(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWholeParameterReference(final String value) {
        return value.startsWith("#{") && value.endsWith("}") && value.indexOf("#{", 1) < 0;
    }

    private void checkReferencesAndParameters(final String where, final Map<String, String> properties) {
        if (properties == null) {
            return;
        }
        for (final Map.Entry<String, String> property : properties.entrySet()) {
            if (property.getValue() == null) {
                continue;
            }
            final Matcher matcher = PARAMETER_REFERENCE.matcher(property.getValue());
            while (matcher.find()) {
                final String parameter = matcher.group(1);
                if (!parameters.containsKey(parameter)) {
                    problems.add(where + " uses parameter #{" + parameter + "} in '" + property.getKey() + "', which the parameter context does not define");
                }
            }
        }
    }

    private void checkOurBundle(final String where, final Bundle bundle) {
        if (bundle == null || !OUR_GROUP.equals(bundle.getGroup()) || !OUR_NAR.equals(bundle.getArtifact()) || !expectedVersion.equals(bundle.getVersion())) {
            problems.add(where + " has bundle " + describe(bundle) + ", expected " + OUR_GROUP + ":" + OUR_NAR + ":" + expectedVersion);
        }
    }

    private void checkForeignBundle(final String where, final Bundle bundle) {
        if (bundle == null || bundle.getGroup() == null || bundle.getArtifact() == null || bundle.getVersion() == null) {
            problems.add(where + " has no complete bundle coordinates");
        }
    }

    private static String describe(final Bundle bundle) {
        return bundle == null ? "none" : bundle.getGroup() + ":" + bundle.getArtifact() + ":" + bundle.getVersion();
    }
}
