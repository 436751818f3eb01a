package com.onemusic.privacy.consent.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.onemusic.privacy.consent.ledger.ConsentMethod;
import com.onemusic.privacy.consent.ledger.ConsentState;
import com.onemusic.privacy.consent.ledger.ConsentStatus;
import com.onemusic.privacy.consent.ledger.Guardian;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.ledger.ScopeChange;
import com.onemusic.privacy.consent.policy.PolicyHistory;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.scope.ScopeKind;

/** What the API answers. */
public final class ConsentViews {

	private ConsentViews() {
	}

	/**
	 * One scope of a user.
	 *
	 * @param scope the scope code
	 * @param kind its kind
	 * @param title its title
	 * @param status granted or withdrawn
	 * @param effective whether processing may rely on it now: granted, and not made stale
	 * by a material policy change
	 * @param staleSince the policy version that made the grant stale, or null
	 * @param sequence the ledger sequence number that set it
	 * @param occurredAt when it was set
	 * @param policyVersion the policy version it was set under
	 * @param method how it was set
	 * @param receiptId the receipt of the grant
	 */
	public record ConsentView(String scope, ScopeKind kind, String title, ConsentStatus status, boolean effective,
			String staleSince, long sequence, Instant occurredAt, String policyVersion, ConsentMethod method,
			String receiptId) {

		public static List<ConsentView> of(Map<String, ConsentState> states, ScopeCatalog catalog,
				PolicyHistory policies) {
			return states.values().stream().map((state) -> {
				Optional<Scope> scope = catalog.find(state.scope());
				String staleSince = (state.status() == ConsentStatus.GRANTED)
						? policies.staleBy(state.scope(), state.policyVersion())
							.map(PolicyVersion::version)
							.orElse(null)
						: null;
				return new ConsentView(state.scope(), scope.map(Scope::kind).orElse(null),
						scope.map(Scope::title).orElse(null), state.status(),
						state.status() == ConsentStatus.GRANTED && staleSince == null, staleSince, state.sequence(),
						state.occurredAt(), state.policyVersion(), state.method(), state.receiptId());
			}).toList();
		}

	}

	/**
	 * A user's consents.
	 *
	 * @param userId the user
	 * @param asOf the instant asked for, or null for now
	 * @param currentPolicyVersion the policy version in force
	 * @param consents every scope the user ever granted or withdrew
	 */
	record UserConsents(String userId, Instant asOf, String currentPolicyVersion, List<ConsentView> consents) {

	}

	/**
	 * The outcome of a change.
	 *
	 * @param userId the user
	 * @param changed whether it was recorded (false when it repeated the current state)
	 * @param replayed whether this answers a retry of a submission recorded before (same
	 * {@code Idempotency-Key}): then {@code changed}, {@code sequence} and
	 * {@code receiptId} are those of the first
	 * @param sequence the ledger sequence number of the entry
	 * @param receiptId the receipt issued for the grants, if any
	 * @param consents the user's consents afterwards
	 */
	record ChangeResult(String userId, boolean changed, boolean replayed, Long sequence, String receiptId,
			List<ConsentView> consents) {

	}

	/**
	 * One ledger entry, as the history shows it.
	 *
	 * @param sequence its sequence number
	 * @param occurredAt when the change was made
	 * @param recordedAt when it was recorded
	 * @param policyVersion the policy version shown
	 * @param method how it was made
	 * @param sourceSystem who submitted it
	 * @param guardian the guardian, for a minor
	 * @param reason why, for system-initiated changes
	 * @param changes the scopes changed
	 * @param receiptId the receipt issued
	 * @param erasureRequestId the deletion request it answers, if any
	 * @param previousHash the previous entry's hash
	 * @param hash its hash
	 */
	public record HistoryEntry(long sequence, Instant occurredAt, Instant recordedAt, String policyVersion,
			ConsentMethod method, String sourceSystem, Guardian guardian, String reason, List<ScopeChange> changes,
			String receiptId, String erasureRequestId, String previousHash, String hash) {

		public static HistoryEntry of(LedgerEntry entry) {
			return new HistoryEntry(entry.sequence(), entry.occurredAt(), entry.recordedAt(), entry.policyVersion(),
					entry.method(), entry.sourceSystem(), entry.guardian(), entry.reason(), entry.changes(),
					entry.receiptId(), (entry.erasure() != null) ? entry.erasure().requestId() : null,
					entry.previousHash(), entry.hash());
		}

	}

	/**
	 * A policy version.
	 *
	 * @param version its name
	 * @param order its position
	 * @param previousVersion the version it replaced
	 * @param url where it is published
	 * @param effectiveFrom when it came into force
	 * @param publishedAt when it was published here
	 * @param current whether it is in force
	 * @param materialChanges what changed materially
	 */
	record PolicyView(String version, long order, String previousVersion, String url, Instant effectiveFrom,
			Instant publishedAt, boolean current,
			List<com.onemusic.privacy.consent.policy.MaterialChange> materialChanges) {

		static PolicyView of(PolicyVersion version, PolicyHistory history) {
			boolean current = history.current().map((v) -> v.version().equals(version.version())).orElse(false);
			return new PolicyView(version.version(), version.order(), version.previousVersion(), version.url(),
					version.effectiveFrom(), version.publishedAt(), current, version.materialChanges());
		}

	}

	/**
	 * One page of the users who must consent again after a policy change.
	 *
	 * @param version the policy version
	 * @param affectedScopes the scopes it changed materially
	 * @param items one row per user and scope
	 * @param next the cursor of the next page, or null on the last page
	 */
	record ReconsentPage(String version, List<String> affectedScopes, List<ReconsentItem> items, String next) {

	}

	/**
	 * A user who must consent again for a scope.
	 *
	 * @param userId the user
	 * @param scope the scope
	 * @param grantedUnder the policy version of the current grant
	 * @param grantedAt when it was given
	 */
	record ReconsentItem(String userId, String scope, String grantedUnder, Instant grantedAt) {

	}

}
