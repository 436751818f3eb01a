package com.onemusic.privacy.sharing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.onemusic.privacy.events.PartnerCategory;
import com.onemusic.privacy.sharing.partner.PartnerSpec;

/**
 * Configuration of sharing-gateway ({@code sharing.*} in {@code sharing-gateway.yml}).
 *
 * @param categoryScopes the consent scope that allows sharing with each partner category
 * (policy 5.1.3, 5.1.4)
 * @param sensitiveScope the separate consent scope for sharing sensitive personal
 * information (policy 5.1.3)
 * @param sensitiveCategories the data categories that are sensitive personal information
 * @param userReferenceKey the key of the per-partner user reference (a keyed hash of the
 * user id, so that partners never learn the internal id and cannot link their records to
 * another partner's): base64 of at least 32 bytes, from a Secret in production
 * @param secretsKey the key partner secrets are stored sealed under (AES-256-GCM): base64
 * of 32 random bytes, from a Secret in production
 * @param retiredSecretsKeys keys partner secrets may still be sealed under after a
 * rotation; they are sealed under {@code secretsKey} again at start
 * @param view the consent view
 * @param webhooks deletion webhooks and partner callbacks
 * @param partners partners configured at start (the admin API adds and changes more)
 * @param callbackBaseUrl the public base URL partners call back on, named in webhooks
 */
@Validated
@ConfigurationProperties("sharing")
public record SharingProperties(@NotEmpty Map<PartnerCategory, String> categoryScopes,
		@DefaultValue("sharing.sensitive") @NotBlank String sensitiveScope, @NotNull List<String> sensitiveCategories,
		@NotBlank String userReferenceKey, @NotBlank String secretsKey, List<String> retiredSecretsKeys,
		@Valid @NotNull View view, @Valid @NotNull Webhooks webhooks, List<@Valid PartnerSpec> partners,
		@NotBlank String callbackBaseUrl) {

	public SharingProperties {
		partners = (partners != null) ? List.copyOf(partners) : List.of();
		retiredSecretsKeys = (retiredSecretsKeys != null) ? List.copyOf(retiredSecretsKeys) : List.of();
	}

	@Override
	public String toString() {
		return "SharingProperties[categoryScopes=" + this.categoryScopes + ", sensitiveScope=" + this.sensitiveScope
				+ ", sensitiveCategories=" + this.sensitiveCategories
				+ ", userReferenceKey=(hidden), secretsKey=(hidden), retiredSecretsKeys="
				+ this.retiredSecretsKeys.size() + ", view=" + this.view + ", webhooks=" + this.webhooks + ", partners="
				+ this.partners.size() + "]";
	}

	/**
	 * The consent view.
	 *
	 * @param maxLag how long a decision waits for the view to show it holds the consent
	 * changes it must hold; longer, and the share is denied (fail closed)
	 * @param maxStaleness how long before a share of data that is not sensitive the view
	 * may have been shown to hold every consent change (a share of sensitive data always
	 * needs it shown after the request came): a withdrawal acknowledged longer ago than
	 * this is always seen. Zero, the default, treats every share like a sensitive one: a
	 * share asked for after a withdrawal was acknowledged is always denied
	 * @param probeInterval how often the end of the topics is read to measure the lag
	 * @param cacheSize users whose consents an instance keeps in memory
	 * @param positionSaveInterval how often the position the view has reached is stored
	 * @param partitionCheckInterval how often the consent topics are looked at for
	 * partitions added since the view started
	 */
	public record View(@DefaultValue("2s") @NotNull Duration maxLag,
			@DefaultValue("0ms") @NotNull @DurationMin(millis = 0) Duration maxStaleness,
			@DefaultValue("100ms") @NotNull Duration probeInterval, @DefaultValue("200000") @Min(0) int cacheSize,
			@DefaultValue("1s") @NotNull Duration positionSaveInterval,
			@DefaultValue("1s") @NotNull Duration partitionCheckInterval) {

	}

	/**
	 * Deletion webhooks (Standard Webhooks) and partner callbacks.
	 *
	 * @param retrySchedule the delay before each attempt, the first included; after the
	 * last, attempts go on at that last interval until the due date
	 * @param timeout how long one attempt may take
	 * @param pollInterval how often due attempts are looked for
	 * @param maxRetryAfter the longest {@code Retry-After} honoured
	 * @param confirmationWindow how long after delivery a partner may take to confirm
	 * before it is listed as overdue (the due date counts too, whichever is first)
	 * @param timestampTolerance how far a callback's timestamp may be from now
	 * @param concurrency attempts in flight at once per instance
	 */
	public record Webhooks(@NotEmpty List<Duration> retrySchedule, @DefaultValue("10s") @NotNull Duration timeout,
			@DefaultValue("1s") @NotNull Duration pollInterval, @DefaultValue("1d") @NotNull Duration maxRetryAfter,
			@DefaultValue("7d") @NotNull Duration confirmationWindow,
			@DefaultValue("5m") @NotNull Duration timestampTolerance, @DefaultValue("8") @Min(1) int concurrency) {

	}

}
