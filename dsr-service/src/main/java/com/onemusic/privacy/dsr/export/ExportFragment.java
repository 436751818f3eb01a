package com.onemusic.privacy.dsr.export;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One part of a participant's answer to an access request, kept until the export is put
 * together.
 *
 * @param id {@code <requestId>|<participant>|<part>}
 * @param requestId the request
 * @param participant the participant
 * @param part this part's number, from 1
 * @param parts how many parts
 * @param content this part of the participant's JSON document
 * @param receivedAt when it arrived
 */
@Document(ExportFragment.COLLECTION)
public record ExportFragment(@Id String id, String requestId, String participant, int part, int parts, String content,
		Instant receivedAt) {

	public static final String COLLECTION = "dsr_export_fragments";

	static String idOf(String requestId, String participant, int part) {
		return requestId + "|" + participant + "|" + part;
	}

}
