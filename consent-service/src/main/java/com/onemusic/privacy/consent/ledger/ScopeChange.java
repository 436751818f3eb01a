package com.onemusic.privacy.consent.ledger;

import java.util.UUID;

/**
 * One scope granted or withdrawn within a ledger entry.
 *
 * @param scope the scope code
 * @param status the new status
 * @param eventId the id of the ConsentChanged event that publishes it
 */
public record ScopeChange(String scope, ConsentStatus status, UUID eventId) {

}
