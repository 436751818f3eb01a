package com.onemusic.privacy.consent.policy;

import java.util.List;

/**
 * A material change of the policy (section 10.2), naming the scopes it affects.
 *
 * @param kind what changed
 * @param scopes the scope codes whose consents given under older versions stop being
 * current
 * @param summary what changed, for people
 */
public record MaterialChange(Kind kind, List<String> scopes, String summary) {

	public MaterialChange {
		scopes = List.copyOf(scopes);
	}

	/** The kinds of material change listed in policy section 10.2. */
	public enum Kind {

		PURPOSE, DATA_TYPES, SHARING_RECIPIENTS, RIGHTS, CONTACTS, HIGH_RISK_ASSESSMENT, OTHER

	}

}
