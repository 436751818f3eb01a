package com.onemusic.privacy.dsr.web;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.dsr.export.DataExports;
import com.onemusic.privacy.dsr.request.DsrRequest;
import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.DsrStatus;
import com.onemusic.privacy.dsr.request.DsrType;
import com.onemusic.privacy.dsr.request.RequestFilter;
import com.onemusic.privacy.dsr.request.SlaState;
import com.onemusic.privacy.dsr.request.SubmitCommand;
import com.onemusic.privacy.dsr.web.DsrApi.RequestView;
import com.onemusic.privacy.platform.security.AuditTrail;
import com.onemusic.privacy.platform.security.Callers;
import com.onemusic.privacy.platform.web.ApiProblem;

/**
 * Data-subject requests: submit, verify identity, follow, extend, ask a silent
 * participant again, complete.
 */
@RestController
class RequestController {

	private static final int MAX_PAGE = 200;

	private final DsrRequests requests;

	private final DataExports exports;

	private final AuditTrail audit;

	RequestController(DsrRequests requests, DataExports exports, AuditTrail audit) {
		this.requests = requests;
		this.exports = exports;
		this.audit = audit;
	}

	/**
	 * Submits a request: 201 with the new request, or 200 with the open request of the
	 * same user and type.
	 */
	@PostMapping("/requests")
	Mono<ResponseEntity<RequestView>> submit(@Valid @RequestBody DsrApi.Submit body) {
		SubmitCommand command = new SubmitCommand(body.userId(), body.type(), body.channel(), body.ground(),
				body.details(), body.scopes(), (body.contact() != null) ? body.contact().toContact() : null,
				body.identityAssertion(), null);
		return Callers.mayActFor(body.userId())
			.then(Mono.defer(() -> this.requests.submit(command)))
			.map((submitted) -> submitted.created()
					? ResponseEntity.created(URI.create("/requests/" + submitted.request().id()))
						.body(view(submitted.request()))
					: ResponseEntity.ok(view(submitted.request())));
	}

	/** Checks the one-time code; a right one verifies identity and starts the clock. */
	@PostMapping("/requests/{id}/verification")
	Mono<RequestView> verify(@PathVariable String id, @Valid @RequestBody DsrApi.Code body) {
		return owned(id).then(Mono.defer(() -> this.requests.verifyCode(id, body.code()))).map(this::view);
	}

	/** Sends a new one-time code. */
	@PostMapping("/requests/{id}/verification-code")
	Mono<ResponseEntity<RequestView>> newCode(@PathVariable String id, @Valid @RequestBody DsrApi.NewCode body) {
		return owned(id).then(Mono.defer(() -> this.requests.resendCode(id, body.contact().toContact())))
			.map((request) -> ResponseEntity.accepted().body(view(request)));
	}

	/** One request, with its steps, deadline and history. */
	@GetMapping("/requests/{id}")
	Mono<RequestView> get(@PathVariable String id,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		return this.requests.get(id)
			.flatMap((request) -> Callers.mayActFor(request.userId())
				.then(this.audit.revealed("VIEW_REQUEST", id, request.userId(), reason))
				.thenReturn(request))
			.map(this::view);
	}

	/**
	 * Requests by status, type, user, or how they stand against the deadline
	 * ({@code sla=DUE_SOON} or {@code OVERDUE}), a page at a time.
	 */
	@GetMapping("/requests")
	Mono<DsrApi.Page> list(@RequestParam(required = false) DsrStatus status,
			@RequestParam(required = false) DsrType type, @RequestParam(required = false) String userId,
			@RequestParam(required = false) SlaState sla, @RequestParam(required = false) String after,
			@RequestParam(defaultValue = "50") int limit,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		if (limit < 1 || limit > MAX_PAGE) {
			return Mono.error(ApiProblem.badRequest("invalid-limit", "limit must be 1 to " + MAX_PAGE));
		}
		// Without users:any a token lists only its own user's requests.
		return Callers.mayActFor(userId)
			.then(this.audit.revealed("LIST_REQUESTS", null, userId, reason))
			.thenMany(Flux.defer(() -> this.requests.list(new RequestFilter(status, type, userId, sla, after, limit))))
			.map(this::view)
			.collectList()
			.map((items) -> new DsrApi.Page(items, (items.size() == limit) ? items.get(items.size() - 1).id() : null));
	}

	/** Extends the deadline, with the reason recorded. */
	@PostMapping("/requests/{id}/extension")
	Mono<RequestView> extend(@PathVariable String id, @Valid @RequestBody DsrApi.Extend body) {
		return this.requests.extend(id, body.workingDays(), body.reason(), body.operator()).map(this::view);
	}

	/** Asks a participant again, for the same request. */
	@PostMapping("/requests/{id}/steps/{participant}/reminder")
	Mono<ResponseEntity<RequestView>> remind(@PathVariable String id, @PathVariable String participant) {
		return this.requests.reask(id, participant).map((request) -> ResponseEntity.accepted().body(view(request)));
	}

	/** Completes a rectification done by the owner of the data. */
	@PostMapping("/requests/{id}/completion")
	Mono<RequestView> complete(@PathVariable String id, @Valid @RequestBody DsrApi.Complete body) {
		return this.requests.complete(id, body.partially(), body.note()).map(this::view);
	}

	/** The export of a completed access request, as a JSON file. */
	@GetMapping(path = "/requests/{id}/export", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<String>> export(@PathVariable String id,
			@RequestHeader(name = AuditTrail.REASON_HEADER, required = false) String reason) {
		return this.requests.get(id)
			.flatMap((request) -> Callers.mayActFor(request.userId())
				.then(this.audit.revealed("DOWNLOAD_EXPORT", id, request.userId(), reason)))
			.then(Mono.defer(() -> this.exports.download(id)))
			.map((bundle) -> ResponseEntity.ok()
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename("export-" + id + ".json").build().toString())
				.contentType(MediaType.APPLICATION_JSON)
				.body(bundle.content()));
	}

	/** Completes when the caller may act for the request's user. */
	private Mono<Void> owned(String id) {
		return this.requests.get(id).flatMap((request) -> Callers.mayActFor(request.userId()));
	}

	private RequestView view(DsrRequest request) {
		return RequestView.of(request, this.requests.sla(request),
				(request.dueDate() != null && request.status().open()) ? this.requests.workingDaysLeft(request) : null);
	}

}
