package com.onemusic.privacy.deploy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a container of a rendered workload gets, as the kubelet
 * builds them: the keys of the ConfigMaps in {@code envFrom}, then {@code env} in order,
 * where {@code $(NAME)} names a variable defined before. A Secret's value is not in the
 * chart (production Secrets are created beforehand), so a fresh random one stands in for
 * it.
 *
 * @param variables every variable and its value
 * @param fromSecrets the variables whose value comes from a Secret
 * @param referenced the variables other variables' values refer to with {@code $(NAME)}
 */
record ContainerEnvironment(Map<String, Object> variables, Set<String> fromSecrets, Set<String> referenced) {

	private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

	private static final SecureRandom RANDOM = new SecureRandom();

	static ContainerEnvironment of(RenderedChart chart, Map<String, Object> container) {
		Map<String, Object> variables = new LinkedHashMap<>();
		Set<String> fromSecrets = new TreeSet<>();
		Set<String> referenced = new TreeSet<>();
		for (Map<String, Object> source : K8sObject.list(container, "envFrom")) {
			String configMap = (String) K8sObject.at(source, "configMapRef", "name");
			if (configMap == null) {
				throw new AssertionError(
						container.get("name") + " takes variables from something else than a ConfigMap: " + source);
			}
			chart.get("ConfigMap", configMap).map("data").forEach((key, value) -> variables.put(key, value));
		}
		for (Map<String, Object> variable : K8sObject.list(container, "env")) {
			String name = (String) variable.get("name");
			Object value = variable.get("value");
			if (value != null) {
				Matcher reference = REFERENCE.matcher(value.toString());
				StringBuilder resolved = new StringBuilder();
				while (reference.find()) {
					referenced.add(reference.group(1));
					Object earlier = variables.get(reference.group(1));
					reference.appendReplacement(resolved,
							Matcher.quoteReplacement((earlier != null) ? earlier.toString() : reference.group()));
				}
				reference.appendTail(resolved);
				variables.put(name, resolved.toString());
			}
			else if (K8sObject.at(variable, "valueFrom", "secretKeyRef") != null) {
				fromSecrets.add(name);
				byte[] secret = new byte[32];
				RANDOM.nextBytes(secret);
				variables.put(name, Base64.getEncoder().encodeToString(secret));
			}
			else if (K8sObject.at(variable, "valueFrom", "configMapKeyRef") != null) {
				String configMap = (String) K8sObject.at(variable, "valueFrom", "configMapKeyRef", "name");
				String key = (String) K8sObject.at(variable, "valueFrom", "configMapKeyRef", "key");
				variables.put(name, chart.get("ConfigMap", configMap).map("data").get(key));
			}
			else if (K8sObject.at(variable, "valueFrom", "fieldRef") != null) {
				variables.put(name, "10.0.0.1");
			}
			else {
				throw new AssertionError("Unexpected source of " + name + ": " + variable);
			}
		}
		return new ContainerEnvironment(variables, fromSecrets, referenced);
	}

}
