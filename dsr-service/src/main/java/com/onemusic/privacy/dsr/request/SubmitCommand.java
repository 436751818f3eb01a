package com.onemusic.privacy.dsr.request;

import java.util.List;

import com.onemusic.privacy.dsr.verification.Contact;

/**
 * A data-subject request as submitted, over HTTP or as an event.
 *
 * @param userId the user
 * @param type what is asked
 * @param channel where it came in
 * @param ground the ground of a deletion (policy 8.1.3), else null
 * @param details what to rectify, or other free text, or null
 * @param scopes the consent scopes of a withdrawal
 * @param contact where to send a one-time code, when there is no assertion
 * @param identityAssertion the account system's assertion of a logged-in session, or null
 * @param sourceEventId the id of the submitting event, or null
 */
public record SubmitCommand(String userId, DsrType type, DsrChannel channel, DeletionGround ground, String details,
		List<String> scopes, Contact contact, String identityAssertion, String sourceEventId) {

	public SubmitCommand {
		scopes = (scopes != null) ? List.copyOf(scopes) : List.of();
	}

}
