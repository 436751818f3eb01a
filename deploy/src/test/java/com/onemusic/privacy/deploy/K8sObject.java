package com.onemusic.privacy.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One rendered Kubernetes object, as the plain maps and lists YAML gives, with paths into
 * it.
 *
 * @param content the object
 */
record K8sObject(Map<String, Object> content) {

	String apiVersion() {
		return (String) this.content.get("apiVersion");
	}

	String kind() {
		return (String) this.content.get("kind");
	}

	String name() {
		return string("metadata", "name");
	}

	/** The pod template of a workload, or the empty map. */
	Map<String, Object> podSpec() {
		return map("spec", "template", "spec");
	}

	/** Every container and init container of a workload. */
	List<Map<String, Object>> allContainers() {
		List<Map<String, Object>> containers = new ArrayList<>(list(podSpec(), "initContainers"));
		containers.addAll(list(podSpec(), "containers"));
		return containers;
	}

	List<Map<String, Object>> containers() {
		return list(podSpec(), "containers");
	}

	String string(String... path) {
		Object value = at(this.content, path);
		return (value != null) ? value.toString() : null;
	}

	Map<String, Object> map(String... path) {
		return asMap(at(this.content, path));
	}

	static Object at(Object root, String... path) {
		Object current = root;
		for (String key : path) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(key);
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> asMap(Object value) {
		return (value instanceof Map<?, ?>) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Map<String, Object> root, String... path) {
		Object value = at(root, path);
		return (value instanceof List<?>) ? (List<Map<String, Object>>) value : List.of();
	}

	@Override
	public String toString() {
		return kind() + " " + name();
	}

}
