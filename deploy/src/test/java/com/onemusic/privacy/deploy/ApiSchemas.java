package com.onemusic.privacy.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

/**
 * Checks rendered objects against the API of the targeted Kubernetes version and of the
 * Strimzi operator.
 * <ul>
 * <li>Kubernetes' own kinds against the model of the official Java client generated from
 * that version's OpenAPI document ({@code io.kubernetes:client-java-api}): every field
 * must be defined there, required fields present and values of the declared JSON
 * type.</li>
 * <li>Custom resources against the operator's API model: Strimzi's own
 * ({@code io.strimzi:api}, from which its CRDs are generated) and fabric8's model of the
 * Prometheus operator's CRDs. The API version must be one the model serves, every value
 * must bind to its declared type (enums, numbers, the type-discriminated listeners and
 * storage), and no field may be unknown (an operator would ignore it).</li>
 * </ul>
 * A kind neither knows is a problem too: the chart renders nothing that cannot be
 * checked.
 */
final class ApiSchemas {

	private static final Gson GSON = new Gson();

	private static final ObjectMapper MODELS = new ObjectMapper()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

	/**
	 * The custom resources the chart renders, by kind, with the model of the operator
	 * that serves them: Strimzi's own, and fabric8's model of the Prometheus operator's
	 * API.
	 */
	private static final Map<String, Class<? extends HasMetadata>> CUSTOM_KINDS = Map.of("Kafka", Kafka.class,
			"KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class, "ServiceMonitor",
			ServiceMonitor.class);

	/**
	 * The Kubernetes kinds the chart renders and the group/version that serves each (the
	 * client's model classes are named by version and kind only, so the group is checked
	 * here).
	 */
	private static final Map<String, String> KUBERNETES_KINDS = Map.ofEntries(Map.entry("ConfigMap", "v1"),
			Map.entry("Secret", "v1"), Map.entry("Service", "v1"), Map.entry("ServiceAccount", "v1"),
			Map.entry("Deployment", "apps/v1"), Map.entry("StatefulSet", "apps/v1"),
			Map.entry("PodDisruptionBudget", "policy/v1"), Map.entry("HorizontalPodAutoscaler", "autoscaling/v2"),
			Map.entry("NetworkPolicy", "networking.k8s.io/v1"), Map.entry("Ingress", "networking.k8s.io/v1"));

	private ApiSchemas() {
	}

	/**
	 * What is wrong with an object, if anything.
	 * @param object a rendered object
	 * @return the problems, empty when the object is valid
	 */
	static List<String> problems(K8sObject object) {
		if (object.apiVersion().contains(".") && object.apiVersion().contains("/")) {
			String group = object.apiVersion().substring(0, object.apiVersion().indexOf('/'));
			if (!group.endsWith(".k8s.io")) {
				return customResourceProblems(object);
			}
		}
		return kubernetesProblems(object);
	}

	private static List<String> kubernetesProblems(K8sObject object) {
		String apiVersion = object.apiVersion();
		String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
		String className = "io.kubernetes.client.openapi.models." + version.substring(0, 1).toUpperCase(Locale.ROOT)
				+ version.substring(1) + object.kind();
		Class<?> model;
		try {
			model = Class.forName(className);
		}
		catch (ClassNotFoundException ex) {
			return List.of(object + ": no kind " + object.kind() + " in " + apiVersion + " of Kubernetes "
					+ System.getProperty("privacy.deploy.kubernetes-version"));
		}
		List<String> problems = new ArrayList<>();
		String served = KUBERNETES_KINDS.get(object.kind());
		if (served == null) {
			problems.add(object + ": the chart may render only " + KUBERNETES_KINDS.keySet() + " of Kubernetes");
		}
		else if (!served.equals(apiVersion)) {
			problems.add(object + ": " + object.kind() + " is served as " + served + ", not " + apiVersion);
		}
		JsonElement json = GSON.toJsonTree(object.content());
		try {
			Method validate = model.getMethod("validateJsonElement", JsonElement.class);
			validate.invoke(null, json);
		}
		catch (InvocationTargetException ex) {
			problems.add(object + ": " + ex.getCause().getMessage());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Cannot validate with " + model, ex);
		}
		return problems;
	}

	private static List<String> customResourceProblems(K8sObject object) {
		Class<? extends HasMetadata> model = CUSTOM_KINDS.get(object.kind());
		if (model == null) {
			return List.of(object + ": the chart may render only " + CUSTOM_KINDS.keySet() + " of custom resources");
		}
		List<String> problems = new ArrayList<>();
		List<String> served = servedApiVersions(model);
		if (!served.contains(object.apiVersion())) {
			problems.add(
					object + ": " + model.getSimpleName() + " is served as " + served + ", not " + object.apiVersion());
		}
		Object bound;
		try {
			bound = MODELS.convertValue(object.content(), model);
		}
		catch (IllegalArgumentException ex) {
			problems.add(object + ": " + ex.getMessage());
			return problems;
		}
		collectUnknown(bound, object.kind(), problems, Collections.newSetFromMap(new IdentityHashMap<>()));
		// A model may read a value it does not know as null (Strimzi's enums do): what
		// does
		// not come back out unchanged was not understood.
		Map<String, Object> content = new LinkedHashMap<>(object.content());
		content.remove("apiVersion"); // checked above; a model writes its own default
										// back
		compare(content, MODELS.convertValue(bound, Map.class), object.kind(), problems);
		return problems;
	}

	private static void compare(Object given, Object understood, String path, List<String> problems) {
		if (given instanceof Map<?, ?> map) {
			Map<?, ?> other = (understood instanceof Map<?, ?> o) ? o : Map.of();
			map.forEach((key, value) -> compare(value, other.get(key), path + "." + key, problems));
		}
		else if (given instanceof List<?> list) {
			List<?> other = (understood instanceof List<?> o) ? o : List.of();
			for (int i = 0; i < list.size(); i++) {
				compare(list.get(i), (i < other.size()) ? other.get(i) : null, path + "[" + i + "]", problems);
			}
		}
		else if (Boolean.FALSE.equals(given) && understood == null) {
			// a model may leave out a flag that is false, its default
		}
		else if (given != null && (understood == null || !given.toString().equals(understood.toString()))) {
			problems.add(path + ": " + given + " is not understood (read as " + understood + ")");
		}
	}

	/** Strimzi serves several versions of each kind; a fabric8 model names its one. */
	@SuppressWarnings("unchecked")
	private static List<String> servedApiVersions(Class<? extends HasMetadata> model) {
		String group = HasMetadata.getGroup(model);
		List<String> versions;
		try {
			versions = (List<String>) model.getField("VERSIONS").get(null);
		}
		catch (NoSuchFieldException ex) {
			versions = List.of(HasMetadata.getVersion(model));
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
		return versions.stream().map((version) -> group + "/" + version).toList();
	}

	private static boolean isModel(Class<?> type) {
		return type.getName().startsWith("io.strimzi.") || type.getName().startsWith("io.fabric8.");
	}

	/** The fields a model kept because it does not define them. */
	@SuppressWarnings("unchecked")
	private static Set<String> additionalProperties(Object model) {
		try {
			Object additional = model.getClass().getMethod("getAdditionalProperties").invoke(model);
			return (additional instanceof Map<?, ?> map) ? ((Map<String, Object>) map).keySet() : Set.of();
		}
		catch (NoSuchMethodException ex) {
			return Set.of();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Walks the bound model for properties the model does not define. */
	private static void collectUnknown(Object value, String path, List<String> problems, Set<Object> seen) {
		if (value == null || !isModel(value.getClass()) || !seen.add(value)) {
			if (value instanceof Collection<?> items) {
				int i = 0;
				for (Object item : items) {
					collectUnknown(item, path + "[" + i++ + "]", problems, seen);
				}
			}
			return;
		}
		for (String unknown : additionalProperties(value)) {
			problems.add(path + "." + unknown + " is not a field of " + value.getClass().getSimpleName());
		}
		for (Class<?> type = value.getClass(); type != null && isModel(type); type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()
						|| field.getName().equals("additionalProperties")) {
					continue;
				}
				try {
					field.setAccessible(true);
					collectUnknown(field.get(value), path + "." + field.getName(), problems, seen);
				}
				catch (ReflectiveOperationException | RuntimeException ex) {
					// a field the JDK does not let us read holds no Strimzi model
				}
			}
		}
	}

}
