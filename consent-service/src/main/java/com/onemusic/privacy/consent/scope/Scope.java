package com.onemusic.privacy.consent.scope;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something a user can consent to.
 *
 * @param code the stable identifier, e.g. {@code permission.location}
 * @param kind what it is about
 * @param title the title shown to users
 * @param purpose the purpose of processing, as the policy states it
 * @param dataCategories the categories of personal data concerned
 * @param sensitive whether it concerns sensitive personal information (its own consent)
 * @param partnerCategory for sharing scopes, the category of partners (e.g.
 * {@code SERVICE_PROVIDER}), else null
 */
public record Scope(String code, ScopeKind kind, String title, String purpose, List<String> dataCategories,
		boolean sensitive, String partnerCategory) {

	/** Scope codes: lowercase words separated by dots and hyphens. */
	public static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+");

	public Scope {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(kind, "kind of " + code);
		if (!CODE.matcher(code).matches()) {
			throw new IllegalArgumentException("Scope code '" + code + "' must look like 'purpose.marketing-push'");
		}
		if (title == null || title.isBlank() || purpose == null || purpose.isBlank()) {
			throw new IllegalArgumentException("Scope " + code + " needs a title and a purpose");
		}
		if (kind == ScopeKind.SHARING && partnerCategory == null && !sensitive) {
			throw new IllegalArgumentException("Sharing scope " + code + " needs a partner category");
		}
		dataCategories = (dataCategories != null) ? List.copyOf(dataCategories) : List.of();
	}

	/**
	 * Whether processing under this scope needs the user's consent.
	 * @return false for strictly necessary processing
	 */
	public boolean requiresConsent() {
		return this.kind != ScopeKind.NECESSARY;
	}

}
