package com.onemusic.privacy.sharing.view;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.Document;

/**
 * What the view knows of one user: the latest change of each consent scope and the
 * deletion requests that stop sharing. Immutable; two states of one user merge into the
 * newer of each scope (as the ledger orders them: {@link ConsentState#supersedes}) and
 * the union of the marks, so states read or built in any order converge.
 *
 * @param userId the user
 * @param consents the latest change per scope
 * @param erasures the deletion requests seen
 */
public record UserState(String userId, Map<String, ConsentState> consents, List<ErasureMark> erasures) {

	public UserState {
		consents = Map.copyOf(consents);
		erasures = List.copyOf(erasures);
	}

	public static UserState empty(String userId) {
		return new UserState(userId, Map.of(), List.of());
	}

	/**
	 * Whether the view knows nothing of the user.
	 * @return true without consents and deletion requests
	 */
	public boolean isEmpty() {
		return this.consents.isEmpty() && this.erasures.isEmpty();
	}

	public Optional<ConsentState> consent(String scope) {
		return Optional.ofNullable(this.consents.get(scope));
	}

	/**
	 * The mark that stops sharing now, if any.
	 * @param now the time now
	 * @return the mark
	 */
	public Optional<ErasureMark> erasureAt(Instant now) {
		return this.erasures.stream().filter((mark) -> mark.holdsAt(now)).findFirst();
	}

	/**
	 * This state with one more consent change; a change the known one supersedes, or the
	 * known one again, is ignored.
	 * @param change the change
	 * @return the new state (this one if nothing changed)
	 */
	public UserState with(ConsentState change) {
		ConsentState known = this.consents.get(change.scope());
		if (known != null && !change.supersedes(known)) {
			return this;
		}
		Map<String, ConsentState> next = new LinkedHashMap<>(this.consents);
		next.put(change.scope(), change);
		return new UserState(this.userId, next, this.erasures);
	}

	/**
	 * This state with one more deletion request; a request already known is ignored.
	 * @param mark the request
	 * @return the new state (this one if nothing changed)
	 */
	public UserState with(ErasureMark mark) {
		if (this.erasures.stream().anyMatch((known) -> known.requestId().equals(mark.requestId()))) {
			return this;
		}
		List<ErasureMark> next = new ArrayList<>(this.erasures);
		next.add(mark);
		return new UserState(this.userId, this.consents, next);
	}

	/**
	 * The union of two states of this user.
	 * @param other another state
	 * @return the merged state
	 */
	public UserState merge(UserState other) {
		UserState merged = this;
		for (ConsentState change : other.consents.values()) {
			merged = merged.with(change);
		}
		for (ErasureMark mark : other.erasures) {
			merged = merged.with(mark);
		}
		return merged;
	}

	Document toDocument(long version) {
		List<Document> consentDocuments = this.consents.values()
			.stream()
			.map((state) -> new Document("scope", state.scope()).append("granted", state.granted())
				.append("policyVersion", state.policyVersion())
				.append("sequence", state.sequence())
				.append("occurredAt", Date.from(state.occurredAt())))
			.toList();
		List<Document> erasureDocuments = this.erasures.stream()
			.map((mark) -> new Document("requestId", mark.requestId()).append("accountClosure", mark.accountClosure())
				.append("until", (mark.until() != null) ? Date.from(mark.until()) : null))
			.toList();
		return new Document("_id", this.userId).append("version", version)
			.append("consents", consentDocuments)
			.append("erasures", erasureDocuments);
	}

	static UserState of(Document document) {
		Map<String, ConsentState> consents = new LinkedHashMap<>();
		for (Document state : document.getList("consents", Document.class, List.of())) {
			consents.put(state.getString("scope"),
					new ConsentState(state.getString("scope"), state.getBoolean("granted"),
							state.getString("policyVersion"), state.get("sequence", Number.class).longValue(),
							state.getDate("occurredAt").toInstant()));
		}
		List<ErasureMark> erasures = new ArrayList<>();
		for (Document mark : document.getList("erasures", Document.class, List.of())) {
			Date until = mark.getDate("until");
			erasures.add(new ErasureMark(mark.getString("requestId"), mark.getBoolean("accountClosure"),
					(until != null) ? until.toInstant() : null));
		}
		return new UserState(document.getString("_id"), consents, erasures);
	}

}
