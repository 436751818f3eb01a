package com.onemusic.privacy.consent.scope;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The scopes users can consent to, loaded from configuration and checked once. */
public final class ScopeCatalog {

	private final Map<String, Scope> scopes;

	private final List<Scope> ordered;

	/**
	 * Creates a catalog.
	 * @param scopes the scopes
	 * @throws IllegalArgumentException for duplicate codes or an empty catalog
	 */
	public ScopeCatalog(Collection<Scope> scopes) {
		Map<String, Scope> byCode = new LinkedHashMap<>();
		for (Scope scope : scopes) {
			if (byCode.putIfAbsent(scope.code(), scope) != null) {
				throw new IllegalArgumentException("Scope " + scope.code() + " is defined twice");
			}
		}
		if (byCode.isEmpty()) {
			throw new IllegalArgumentException("The scope catalog is empty");
		}
		this.scopes = Map.copyOf(byCode);
		this.ordered = List.copyOf(byCode.values());
	}

	public List<Scope> all() {
		return this.ordered;
	}

	public Optional<Scope> find(String code) {
		return Optional.ofNullable(this.scopes.get(code));
	}

	/**
	 * Whether a code is in the catalog.
	 * @param code the code
	 * @return true when known
	 */
	public boolean contains(String code) {
		return this.scopes.containsKey(code);
	}

}
