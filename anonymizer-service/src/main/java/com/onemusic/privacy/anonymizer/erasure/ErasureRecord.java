package com.onemusic.privacy.anonymizer.erasure;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * This service's part of one deletion request, and the outbox entry of its report. While
 * the erasure runs it holds the user's pseudonym, so that a process that dies half way
 * can finish after the key is gone; once done, the pseudonym is removed from it.
 *
 * @param requestId the data-subject request, its id
 * @param userId the user (the request already names the user)
 * @param eventId the id of the report
 * @param status STARTED or DONE
 * @param pseudonym the user's pseudonym while the erasure runs, else null
 * @param counts what was done: keys destroyed, events unlinked, profiles removed
 * @param verified whether the verification pass found nothing linkable
 * @param nothingHeld whether there was nothing of the user
 * @param finishedAt when it was done
 * @param published whether the report was published
 */
@Document(ErasureRecord.COLLECTION)
public record ErasureRecord(@Id String requestId, String userId, UUID eventId, String status, String pseudonym,
		Map<String, Long> counts, Boolean verified, boolean nothingHeld, Instant finishedAt, boolean published) {

	public static final String COLLECTION = "anonymizer_erasures";

	static final String STARTED = "STARTED";

	static final String DONE = "DONE";

}
