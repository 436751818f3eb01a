package com.onemusic.privacy.consent.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The published policy versions in order, and what follows from them for a consent: a
 * consent for a scope given under one version stops being current when a later version
 * changes that scope materially.
 */
public final class PolicyHistory {

	private final List<PolicyVersion> versions;

	public PolicyHistory(List<PolicyVersion> versions) {
		this.versions = versions.stream().sorted(Comparator.comparingLong(PolicyVersion::order)).toList();
	}

	public List<PolicyVersion> versions() {
		return this.versions;
	}

	/**
	 * The version in force.
	 * @return the last published version, if any
	 */
	public Optional<PolicyVersion> current() {
		return this.versions.isEmpty() ? Optional.empty() : Optional.of(this.versions.get(this.versions.size() - 1));
	}

	public Optional<PolicyVersion> find(String version) {
		return this.versions.stream().filter((candidate) -> candidate.version().equals(version)).findFirst();
	}

	/**
	 * The first version after {@code grantedUnder} that changed {@code scope} materially.
	 * @param scope the scope code
	 * @param grantedUnder the version the consent was given under
	 * @return the version that made the consent stale; empty while it is current
	 */
	public Optional<PolicyVersion> staleBy(String scope, String grantedUnder) {
		long grantedOrder = find(grantedUnder).map(PolicyVersion::order).orElse(0L);
		return this.versions.stream()
			.filter((version) -> version.order() > grantedOrder && version.affects(scope))
			.findFirst();
	}

}
