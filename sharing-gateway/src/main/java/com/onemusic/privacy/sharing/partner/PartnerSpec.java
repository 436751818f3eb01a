package com.onemusic.privacy.sharing.partner;

import java.util.List;
import java.util.Map;

import com.onemusic.privacy.events.PartnerCategory;

/**
 * A partner as configured or as an operator writes it through the admin API. Checked by
 * {@link PartnerRegistry} before it is stored.
 *
 * @param id stable identifier, lower-case letters, digits and hyphens
 * @param name display name
 * @param category the partner category of policy 5.1.3 and 5.1.4
 * @param active whether data may be shared with it at all
 * @param webhookUrl where deletion webhooks go
 * @param webhookSecret the secret deletion webhooks are signed with ({@code whsec_} and
 * base64 of 24 to 64 bytes); never answered or logged
 * @param previousWebhookSecret while the webhook secret is rotated, the one it replaces:
 * webhooks then carry a signature under each, so the partner may switch when it likes
 * @param callbackSecrets the secrets the partner signs its callbacks with: one, or two
 * while a secret is rotated; never answered or logged
 * @param purposes the purposes the partner may receive data for, each with its contract
 */
public record PartnerSpec(String id, String name, PartnerCategory category, Boolean active, String webhookUrl,
		String webhookSecret, String previousWebhookSecret, List<String> callbackSecrets,
		Map<String, PurposeContract> purposes) {

	@Override
	public String toString() {
		return "PartnerSpec[id=" + this.id + ", name=" + this.name + ", category=" + this.category + ", active="
				+ this.active + ", webhookUrl=" + this.webhookUrl + ", secrets=(hidden), purposes=" + this.purposes
				+ "]";
	}

	/**
	 * What a partner may receive for one purpose.
	 *
	 * @param requires consent scopes the purpose needs besides the sharing scope of the
	 * partner's category (e.g. purpose.third-party-advertising for ad measurement)
	 * @param fields the payload fields it may receive, each with its data category
	 */
	public record PurposeContract(List<String> requires, Map<String, String> fields) {

		public PurposeContract {
			requires = (requires != null) ? List.copyOf(requires) : List.of();
			fields = (fields != null) ? Map.copyOf(fields) : Map.of();
		}

	}

}
