package com.onemusic.privacy.dsr.export;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A user's data export, as downloaded.
 *
 * @param id the access request's id
 * @param userId the user
 * @param generatedAt when it was put together
 * @param content the JSON document
 */
@Document(ExportBundle.COLLECTION)
public record ExportBundle(@Id String id, String userId, Instant generatedAt, String content) {

	public static final String COLLECTION = "dsr_exports";

}
