package com.onemusic.privacy.consent.policy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A published version of the privacy policy. The document is also the outbox entry of its
 * PolicyVersionPublished event.
 *
 * @param version the version name, its id
 * @param order the position in publication order, 1 for the first
 * @param previousVersion the version it replaced, or null
 * @param url where it is published
 * @param effectiveFrom when it came into force
 * @param publishedAt when it was published here
 * @param materialChanges the material changes against the previous version
 * @param eventId the id of its PolicyVersionPublished event
 * @param published whether that event was published
 */
@Document(PolicyVersion.COLLECTION)
public record PolicyVersion(@Id String version, long order, String previousVersion, String url, Instant effectiveFrom,
		Instant publishedAt, List<MaterialChange> materialChanges, UUID eventId, boolean published) {

	public static final String COLLECTION = "consent_policies";

	public PolicyVersion {
		materialChanges = (materialChanges != null) ? List.copyOf(materialChanges) : List.of();
	}

	/**
	 * Whether this version changed a scope materially.
	 * @param scope a scope code
	 * @return true when consents for it under older versions are no longer current
	 */
	public boolean affects(String scope) {
		return this.materialChanges.stream().anyMatch((change) -> change.scopes().contains(scope));
	}

}
