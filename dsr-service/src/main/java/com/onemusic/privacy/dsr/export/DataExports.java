package com.onemusic.privacy.dsr.export;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.DsrStatus;
import com.onemusic.privacy.dsr.request.DsrType;
import com.onemusic.privacy.dsr.request.RequestFilter;
import com.onemusic.privacy.dsr.request.Step;
import com.onemusic.privacy.dsr.request.StepReport;
import com.onemusic.privacy.dsr.request.StepStatus;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Puts a user's data export together (policy 8.1.1): keeps each participant's parts as
 * they arrive, marks the participant's step done when all its parts are in (or failed
 * when they do not form a JSON document), and when every participant has answered stores
 * one JSON document and completes the request. Every step can run again after a crash or
 * a redelivery with the same result.
 */
public class DataExports {

	/** Parts one participant may split its answer into. */
	static final int MAX_PARTS = 1000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ReactiveMongoTemplate mongo;

	private final DsrRequests requests;

	private final String controller;

	private final Clock clock;

	public DataExports(ReactiveMongoTemplate mongo, DsrRequests requests, String controller, Clock clock) {
		this.mongo = mongo;
		this.requests = requests;
		this.controller = controller;
		this.clock = clock;
	}

	/**
	 * Takes one part of a participant's answer.
	 * @param fragment the part
	 * @return completion
	 */
	public Mono<Void> accept(FragmentReport fragment) {
		if (fragment.parts() < 1 || fragment.parts() > MAX_PARTS || fragment.part() < 1
				|| fragment.part() > fragment.parts()) {
			return Mono.error(ApiProblem.badRequest("invalid-part", "Part " + fragment.part() + " of "
					+ fragment.parts() + " is not a valid part (1 to " + MAX_PARTS + ")"));
		}
		if (fragment.status() != StepStatus.DONE) {
			return report(fragment, fragment.status(), fragment.message()).then(finishIfReady(fragment.requestId()));
		}
		if (fragment.content() == null) {
			return Mono.error(ApiProblem.badRequest("content-required", "A DONE fragment carries content"));
		}
		String id = ExportFragment.idOf(fragment.requestId(), fragment.participant(), fragment.part());
		Update store = new Update().set("requestId", fragment.requestId())
			.set("participant", fragment.participant())
			.set("part", fragment.part())
			.set("parts", fragment.parts())
			.set("content", fragment.content())
			.set("receivedAt", this.clock.instant());
		return this.requests.get(fragment.requestId())
			.flatMap((request) -> this.mongo.upsert(Query.query(Criteria.where("_id").is(id)), store,
					ExportFragment.COLLECTION))
			.then(document(fragment.requestId(), fragment.participant(), fragment.parts()))
			.flatMap((document) -> document.isEmpty() ? Mono.<Void>empty() : check(fragment, document.get()))
			.then(finishIfReady(fragment.requestId()));
	}

	private Mono<Void> check(FragmentReport fragment, String document) {
		try {
			JSON.readTree(document);
			return report(fragment, StepStatus.DONE, fragment.message());
		}
		catch (JacksonException ex) {
			return report(fragment, StepStatus.FAILED,
					"the parts do not form a JSON document: " + ex.getOriginalMessage());
		}
	}

	private Mono<Void> report(FragmentReport fragment, StepStatus status, String message) {
		return this.requests
			.report(new StepReport(fragment.eventId(), fragment.occurredAt(), fragment.requestId(),
					fragment.participant(), false, status, message, Map.of(), null, List.of()))
			.then();
	}

	/**
	 * A participant's whole answer, when all its parts are in.
	 */
	private Mono<java.util.Optional<String>> document(String requestId, String participant, int parts) {
		return Flux.range(1, parts)
			.concatMap((part) -> this.mongo
				.findById(ExportFragment.idOf(requestId, participant, part), ExportFragment.class,
						ExportFragment.COLLECTION)
				.map(ExportFragment::content)
				.defaultIfEmpty("\u0000missing"))
			.collectList()
			.map((contents) -> contents.contains("\u0000missing") ? java.util.Optional.empty()
					: java.util.Optional.of(String.join("", contents)));
	}

	/**
	 * Stores the export and completes the request when every participant has answered.
	 * @param requestId the request
	 * @return completion
	 */
	public Mono<Void> finishIfReady(String requestId) {
		return this.requests.get(requestId)
			.filter(DsrRequest::exportReady)
			.flatMap(
					(request) -> assemble(request)
						.flatMap((content) -> this.mongo.upsert(Query.query(Criteria.where("_id").is(requestId)),
								new Update().set("userId", request.userId())
									.set("generatedAt", this.clock.instant())
									.set("content", content),
								ExportBundle.COLLECTION))
						.then(this.requests.exported(requestId)))
			.then();
	}

	private Mono<String> assemble(DsrRequest request) {
		ObjectNode root = JSON.createObjectNode();
		root.put("requestId", request.id());
		root.put("userId", request.userId());
		root.put("controller", this.controller);
		root.put("generatedAt", this.clock.instant().toString());
		ObjectNode sections = root.putObject("sections");
		Flux<Void> parts = Flux.fromIterable(request.steps()).concatMap((step) -> section(request, step).map((node) -> {
			sections.set(step.participant(), node);
			return node;
		})).thenMany(Flux.empty());
		return parts.thenMany(this.requests.list(new RequestFilter(null, null, request.userId(), null, null, 200)))
			.collectList()
			.map((own) -> {
				ArrayNode list = root.putArray("dataSubjectRequests");
				for (DsrRequest each : own) {
					ObjectNode item = list.addObject();
					item.put("id", each.id());
					item.put("type", each.type().name());
					item.put("status", (each.id().equals(request.id()) ? DsrStatus.COMPLETED : each.status()).name());
					item.put("submittedAt", each.submittedAt().toString());
					if (each.closedAt() != null) {
						item.put("closedAt", each.closedAt().toString());
					}
				}
				return JSON.writeValueAsString(root);
			});
	}

	private Mono<JsonNode> section(DsrRequest request, Step step) {
		if (step.status() != StepStatus.DONE) {
			ObjectNode none = JSON.createObjectNode();
			none.put("nothingHeld", step.status() == StepStatus.NOTHING_HELD);
			if (step.message() != null) {
				none.put("message", step.message());
			}
			return Mono.just(none);
		}
		return this.mongo
			.findById(ExportFragment.idOf(request.id(), step.participant(), 1), ExportFragment.class,
					ExportFragment.COLLECTION)
			.flatMap((first) -> document(request.id(), step.participant(), first.parts()))
			.flatMap((document) -> Mono.justOrEmpty(document))
			.map(JSON::readTree);
	}

	/**
	 * The export of a completed access request.
	 * @param requestId the request
	 * @return the export, or a problem saying why there is none
	 */
	public Mono<ExportBundle> download(String requestId) {
		return this.requests.get(requestId).flatMap((request) -> {
			if (request.type() != DsrType.ACCESS) {
				return Mono.error(ApiProblem.notFound("no-export", "Request " + requestId + " is a " + request.type()
						+ " request; only access requests have an export"));
			}
			if (request.status() != DsrStatus.COMPLETED) {
				return Mono.error(ApiProblem.conflict("export-not-ready",
						"The export of request " + requestId + " is not ready: the request is " + request.status()));
			}
			return this.mongo.findById(requestId, ExportBundle.class, ExportBundle.COLLECTION)
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("Export of " + requestId + " is missing")));
		});
	}

}
