package com.onemusic.privacy.sharing.web;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.platform.web.ApiProblem;
import com.onemusic.privacy.sharing.Deadlines;
import com.onemusic.privacy.sharing.SharingProperties;
import com.onemusic.privacy.sharing.erasure.DeletionPropagation;
import com.onemusic.privacy.sharing.erasure.Delivery;

/**
 * Deletion webhooks to partners: each with every attempt and answer, and the ones whose
 * confirmation is overdue.
 */
@RestController
class DeliveryController {

	private final DeletionPropagation propagation;

	private final SharingProperties properties;

	private final Clock clock = Clock.systemUTC();

	DeliveryController(DeletionPropagation propagation, SharingProperties properties) {
		this.propagation = propagation;
		this.properties = properties;
	}

	@GetMapping("/deliveries")
	Mono<List<Delivery>> deliveries(@RequestParam(required = false) String requestId,
			@RequestParam(required = false) String partnerId, @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > 1000) {
			return Mono.error(ApiProblem.badRequest("invalid-limit", "limit must be between 1 and 1000"));
		}
		return this.propagation.deliveries(requestId, partnerId, limit).collectList();
	}

	@GetMapping("/deliveries/{id}")
	Mono<Delivery> delivery(@PathVariable String id) {
		return this.propagation.delivery(id)
			.switchIfEmpty(Mono.error(ApiProblem.notFound("unknown-delivery", "No delivery " + id)));
	}

	/**
	 * Deliveries whose confirmation is overdue: escalated ones (the partner has gone, or
	 * never took the webhook by the due date), and unconfirmed ones past the due date or
	 * longer than the confirmation window after delivery.
	 * @return the deliveries, oldest first
	 */
	@GetMapping("/deliveries/overdue")
	Mono<List<Delivery>> overdue() {
		Instant now = this.clock.instant();
		return this.propagation.unconfirmed().filter((delivery) -> overdue(delivery, now)).collectList();
	}

	private boolean overdue(Delivery delivery, Instant now) {
		if (delivery.state() == Delivery.State.GONE || delivery.state() == Delivery.State.EXPIRED) {
			return true;
		}
		if (!now.isBefore(Deadlines.endOf(delivery.dueDate()))) {
			return true;
		}
		return delivery.deliveredAt() != null
				&& delivery.deliveredAt().plus(this.properties.webhooks().confirmationWindow()).isBefore(now);
	}

}
