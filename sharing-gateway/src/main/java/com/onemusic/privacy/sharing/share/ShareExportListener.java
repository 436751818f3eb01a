package com.onemusic.privacy.sharing.share;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.onemusic.privacy.events.ExportRequested;
import com.onemusic.privacy.platform.messaging.ExportAnswers;
import com.onemusic.privacy.platform.messaging.Listeners;
import com.onemusic.privacy.sharing.erasure.DeletionPropagation;
import com.onemusic.privacy.sharing.partner.Partner;
import com.onemusic.privacy.sharing.partner.PartnerRegistry;

/**
 * The gateway's part of a data export (policy 8.1.1, 5.1): every partner that received
 * the user's data (for which purposes, which fields and data categories, how often, first
 * and last), every disclosure under a legal order, and how many shares were denied. Field
 * names only, never values: the gateway never stores payloads. It is made once the share
 * log holds every decision recorded before ({@link ShareLogCatchUp}): a share answered a
 * moment before the request is in it. If the log does not catch up within the listener's
 * timeout the request is tried again, as any that fails.
 */
@Component
class ShareExportListener {

	private final ReactiveMongoTemplate mongo;

	private final PartnerRegistry partners;

	private final KafkaTemplate<String, Object> kafka;

	private final JsonMapper json;

	private final ShareLogCatchUp shareLog;

	ShareExportListener(ReactiveMongoTemplate mongo, PartnerRegistry partners, KafkaTemplate<String, Object> kafka,
			JsonMapper json, ShareLogCatchUp shareLog) {
		this.mongo = mongo;
		this.partners = partners;
		this.kafka = kafka;
		this.json = json;
		this.shareLog = shareLog;
	}

	@KafkaListener(topics = "#{T(com.onemusic.privacy.events.Topics).EXPORT_REQUESTED.name()}")
	void on(ExportRequested event) throws Exception {
		if (!ExportAnswers.asks(event, DeletionPropagation.PARTICIPANT)) {
			return;
		}
		this.shareLog.await(Listeners.TIMEOUT);
		List<ShareLogEntry> entries = this.mongo
			.find(Query.query(Criteria.where("userId").is(event.getUserId())).with(Sort.by("occurredAt")),
					ShareLogEntry.class, ShareLogEntry.COLLECTION)
			.collectList()
			.block(Listeners.TIMEOUT);
		String content = (entries == null || entries.isEmpty()) ? null
				: this.json.writeValueAsString(document(entries));
		ExportAnswers.send(this.kafka, event, DeletionPropagation.PARTICIPANT, content,
				"no data of the user was shared with or asked for by a partner");
	}

	private Map<String, Object> document(List<ShareLogEntry> entries) {
		Map<String, Recipient> recipients = new TreeMap<>();
		List<Map<String, Object>> disclosures = new ArrayList<>();
		long denied = 0;
		for (ShareLogEntry entry : entries) {
			if (!entry.allowed()) {
				denied++;
			}
			else if (entry.legal() != null) {
				Map<String, Object> disclosure = new LinkedHashMap<>();
				disclosure.put("recipient", entry.legal().recipient());
				disclosure.put("legalBasis", entry.legal().legalBasis());
				disclosure.put("reference", entry.legal().reference());
				disclosure.put("fields", entry.sharedFields());
				disclosure.put("at", entry.occurredAt());
				disclosures.add(disclosure);
			}
			else {
				recipients.computeIfAbsent(entry.partnerId(), (id) -> new Recipient(id, entry)).add(entry);
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("recipients", recipients.values().stream().map(this::describe).toList());
		document.put("legalDisclosures", disclosures);
		document.put("deniedShares", denied);
		return document;
	}

	private Map<String, Object> describe(Recipient recipient) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("partnerId", recipient.partnerId);
		described.put("partnerName", this.partners.find(recipient.partnerId).map(Partner::name).orElse(null));
		described.put("category", recipient.category);
		described.put("purposes", recipient.purposes);
		described.put("fields", recipient.fields);
		described.put("dataCategories", recipient.categories);
		described.put("shares", recipient.count);
		described.put("first", recipient.first);
		described.put("last", recipient.last);
		return described;
	}

	private static final class Recipient {

		private final String partnerId;

		private final String category;

		private final TreeSet<String> purposes = new TreeSet<>();

		private final TreeSet<String> fields = new TreeSet<>();

		private final TreeSet<String> categories = new TreeSet<>();

		private long count;

		private Instant first;

		private Instant last;

		Recipient(String partnerId, ShareLogEntry entry) {
			this.partnerId = partnerId;
			this.category = entry.partnerCategory().name();
			this.first = entry.occurredAt();
		}

		void add(ShareLogEntry entry) {
			this.purposes.add(entry.purpose());
			this.fields.addAll(entry.sharedFields());
			this.categories.addAll(entry.dataCategories());
			this.count++;
			this.last = entry.occurredAt();
		}

	}

}
