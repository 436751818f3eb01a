package com.onemusic.privacy.consent.receipt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.onemusic.privacy.consent.ConsentProperties;
import com.onemusic.privacy.consent.ledger.LedgerEntry;
import com.onemusic.privacy.consent.ledger.ScopeChange;
import com.onemusic.privacy.consent.policy.PolicyVersion;
import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.scope.ScopeKind;

/**
 * Renders the consent receipt of a ledger entry, with the fields of the Kantara
 * Initiative Consent Receipt specification (v1.1), which ISO/IEC TS 27560 builds on:
 * receipt id, timestamp, jurisdiction, controller, policy URL and version, the purposes
 * with their data categories and third-party disclosure, and how consent was collected.
 */
public final class ConsentReceipts {

	/** The specification version the receipt follows. */
	public static final String VERSION = "KI-CR-v1.1.0";

	private final ConsentProperties properties;

	private final ScopeCatalog catalog;

	public ConsentReceipts(ConsentProperties properties, ScopeCatalog catalog) {
		this.properties = properties;
		this.catalog = catalog;
	}

	/**
	 * The receipt of an entry's grants.
	 * @param entry the entry that issued it
	 * @param policy the policy version shown
	 * @return the receipt as a JSON-ready map
	 */
	public Map<String, Object> render(LedgerEntry entry, PolicyVersion policy) {
		Map<String, Object> receipt = new LinkedHashMap<>();
		receipt.put("version", VERSION);
		receipt.put("consentReceiptID", entry.receiptId());
		receipt.put("jurisdiction", this.properties.jurisdiction());
		receipt.put("consentTimestamp", entry.occurredAt().getEpochSecond());
		receipt.put("consentTime", entry.occurredAt().toString());
		receipt.put("collectionMethod", entry.method().name());
		receipt.put("sourceSystem", entry.sourceSystem());
		receipt.put("language", this.properties.language());
		receipt.put("piiPrincipalId", entry.userId());
		ConsentProperties.Controller controller = this.properties.controller();
		Map<String, Object> piiController = new LinkedHashMap<>();
		piiController.put("piiController", controller.name());
		piiController.put("contact", controller.contact());
		piiController.put("address", controller.address());
		piiController.put("email", controller.email());
		piiController.put("piiControllerUrl", controller.url());
		receipt.put("piiControllers", List.of(piiController));
		receipt.put("policyUrl", policy.url());
		receipt.put("policyVersion", policy.version());
		List<Map<String, Object>> purposes = new ArrayList<>();
		List<String> sensitiveCategories = new ArrayList<>();
		for (ScopeChange grant : entry.grants()) {
			Scope scope = this.catalog.find(grant.scope()).orElse(null);
			Map<String, Object> purpose = new LinkedHashMap<>();
			purpose.put("purpose", (scope != null) ? scope.purpose() : grant.scope());
			purpose.put("purposeCategory", List.of(grant.scope()));
			purpose.put("consentType", "EXPLICIT");
			purpose.put("piiCategory", (scope != null) ? scope.dataCategories() : List.of());
			purpose.put("primaryPurpose", false);
			purpose.put("termination", "Until withdrawn; withdrawal does not affect processing before it");
			boolean sharing = scope != null && scope.kind() == ScopeKind.SHARING;
			purpose.put("thirdPartyDisclosure", sharing);
			if (sharing) {
				purpose.put("thirdPartyName", (scope.partnerCategory() != null) ? scope.partnerCategory()
						: "recipients of sensitive personal information");
			}
			purposes.add(purpose);
			if (scope != null && scope.sensitive()) {
				sensitiveCategories.addAll(scope.dataCategories());
			}
		}
		receipt.put("services", List.of(Map.of("service", "OneMusic", "purposes", purposes)));
		receipt.put("sensitive", !sensitiveCategories.isEmpty());
		receipt.put("spiCat", sensitiveCategories.stream().distinct().toList());
		if (entry.guardian() != null) {
			receipt.put("guardian", Map.of("guardianId", entry.guardian().guardianId(), "relationship",
					entry.guardian().relationship().name()));
		}
		receipt.put("ledgerSequence", entry.sequence());
		receipt.put("ledgerHash", entry.hash());
		return receipt;
	}

}
