package com.onemusic.privacy.sharing.view;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The policy versions published so far, ordered by the chain of previous versions each
 * names (events of different versions may arrive in any order), and what follows for a
 * consent: a consent for a scope given under one version stops being current once a later
 * version changes that scope materially (policy 10.2). A version the view has not seen
 * yet counts as older than every known one, so a consent under it is stale for any scope
 * that was ever changed materially: the view errs on the side of denying.
 */
public final class PolicyChain {

	private final Map<String, Version> versions;

	private final Map<String, Integer> order;

	public PolicyChain(List<Version> versions) {
		Map<String, Version> byName = new LinkedHashMap<>();
		versions.forEach((version) -> byName.put(version.version(), version));
		this.versions = Map.copyOf(byName);
		Map<String, Integer> computed = new HashMap<>();
		byName.keySet().forEach((name) -> orderOf(name, byName, computed, 0));
		this.order = Map.copyOf(computed);
	}

	private static int orderOf(String name, Map<String, Version> byName, Map<String, Integer> computed, int depth) {
		Integer known = computed.get(name);
		if (known != null) {
			return known;
		}
		Version version = byName.get(name);
		if (version == null) {
			return 0;
		}
		// A chain longer than the number of versions has a cycle: cut it there.
		int result = (version.previousVersion() == null || depth > byName.size()) ? 1
				: orderOf(version.previousVersion(), byName, computed, depth + 1) + 1;
		computed.put(name, result);
		return result;
	}

	public static PolicyChain empty() {
		return new PolicyChain(List.of());
	}

	/**
	 * This chain with one more version (the same chain if it was known).
	 * @param version the version
	 * @return the chain
	 */
	public PolicyChain with(Version version) {
		if (this.versions.containsKey(version.version())) {
			return this;
		}
		List<Version> next = new java.util.ArrayList<>(this.versions.values());
		next.add(version);
		return new PolicyChain(next);
	}

	/**
	 * The version in force: the last of the chain.
	 * @return its name
	 */
	public Optional<String> current() {
		return this.order.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
	}

	/**
	 * The first version after {@code grantedUnder} that changed {@code scope} materially.
	 * @param scope the scope
	 * @param grantedUnder the version the consent was given under
	 * @return the version, empty while the consent is current
	 */
	public Optional<String> staleBy(String scope, String grantedUnder) {
		int granted = this.order.getOrDefault(grantedUnder, 0);
		return this.versions.values()
			.stream()
			.filter((version) -> this.order.get(version.version()) > granted && version.material().contains(scope))
			.min(java.util.Comparator.comparingInt((version) -> this.order.get(version.version())))
			.map(Version::version);
	}

	public int size() {
		return this.versions.size();
	}

	/**
	 * One published version.
	 *
	 * @param version its name
	 * @param previousVersion the version it follows, or null for the first
	 * @param material the scopes it changed materially
	 */
	public record Version(String version, String previousVersion, Set<String> material) {

		public Version {
			material = Set.copyOf(material);
		}

	}

}
