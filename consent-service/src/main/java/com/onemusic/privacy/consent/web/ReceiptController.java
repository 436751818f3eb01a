package com.onemusic.privacy.consent.web;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.consent.ledger.ConsentLedger;
import com.onemusic.privacy.consent.policy.PolicyService;
import com.onemusic.privacy.consent.receipt.ConsentReceipts;
import com.onemusic.privacy.platform.security.Callers;
import com.onemusic.privacy.platform.web.ApiProblem;

/** Consent receipts, retrievable by id at any time after the grant. */
@RestController
class ReceiptController {

	private final ConsentLedger ledger;

	private final PolicyService policies;

	private final ConsentReceipts receipts;

	private final ClosedAccountReads closed;

	ReceiptController(ConsentLedger ledger, PolicyService policies, ConsentReceipts receipts,
			ClosedAccountReads closed) {
		this.ledger = ledger;
		this.policies = policies;
		this.receipts = receipts;
		this.closed = closed;
	}

	@GetMapping("/receipts/{receiptId}")
	Mono<Map<String, Object>> receipt(@PathVariable String receiptId) {
		return this.ledger.byReceipt(receiptId)
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown-receipt", "No receipt '" + receiptId + "'")))
			.flatMap((entry) -> Callers.mayActFor(entry.userId())
				.then(this.closed.mayRead(entry.userId()))
				.thenReturn(entry))
			.zipWith(this.policies.history())
			.map((result) -> this.receipts.render(result.getT1(),
					result.getT2().find(result.getT1().policyVersion()).orElseThrow()));
	}

}
