package com.onemusic.privacy.sharing.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.erasure.Callbacks;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;
import com.onemusic.privacy.sharing.partner.PartnerSpec;
import com.onemusic.privacy.sharing.partner.PartnerSpec.PurposeContract;
import com.onemusic.privacy.sharing.webhook.StandardWebhooks;

/**
 * The partner registry (secrets are written, never read back) and the endpoint partners
 * confirm deletions on.
 */
@RestController
class PartnerController {

	private final PartnerRegistry partners;

	private final Callbacks callbacks;

	PartnerController(PartnerRegistry partners, Callbacks callbacks) {
		this.partners = partners;
		this.callbacks = callbacks;
	}

	/**
	 * A partner as answered: everything but its secrets.
	 *
	 * @param id the id
	 * @param name the name
	 * @param category the category
	 * @param active whether data may be shared with it
	 * @param webhookUrl where deletion webhooks go
	 * @param callbackSecrets how many callback secrets are valid (two during a rotation)
	 * @param purposes the purposes and their contracts
	 * @param managedBy configuration or api
	 * @param updatedAt when it was last written
	 */
	record PartnerView(String id, String name, PartnerCategory category, boolean active, String webhookUrl,
			int callbackSecrets, Map<String, PurposeContract> purposes, String managedBy, Instant updatedAt) {

		static PartnerView of(Partner partner) {
			return new PartnerView(partner.id(), partner.name(), partner.category(), partner.active(),
					partner.webhookUrl(), partner.callbackSecrets().size(), partner.purposes(), partner.managedBy(),
					partner.updatedAt());
		}

	}

	@GetMapping("/partners")
	List<PartnerView> all() {
		return this.partners.all().stream().map(PartnerView::of).toList();
	}

	@GetMapping("/partners/{id}")
	PartnerView one(@PathVariable String id) {
		return this.partners.find(id)
			.map(PartnerView::of)
			.orElseThrow(() -> ApiProblem.notFound("unknown-partner", "No partner '" + id + "'"));
	}

	@PutMapping("/partners/{id}")
	Mono<ResponseEntity<PartnerView>> put(@PathVariable String id, @RequestBody PartnerSpec spec) {
		return this.partners.put(id, spec)
			.map((written) -> ResponseEntity.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK)
				.body(PartnerView.of(written.partner())));
	}

	/**
	 * A partner's signed confirmation of a deletion.
	 * @param id the partner
	 * @param webhookId the message id
	 * @param timestamp the message time, seconds since the epoch
	 * @param signature the signature(s)
	 * @param body the exact body, as signed
	 * @return what became of it
	 */
	@PostMapping("/partners/{id}/callbacks")
	Mono<Callbacks.Accepted> callback(@PathVariable String id,
			@RequestHeader(name = StandardWebhooks.ID, required = false) String webhookId,
			@RequestHeader(name = StandardWebhooks.TIMESTAMP, required = false) String timestamp,
			@RequestHeader(name = StandardWebhooks.SIGNATURE, required = false) String signature,
			@RequestBody(required = false) byte[] body) {
		return this.callbacks.receive(id, webhookId, timestamp, signature, (body != null) ? body : new byte[0]);
	}

}
