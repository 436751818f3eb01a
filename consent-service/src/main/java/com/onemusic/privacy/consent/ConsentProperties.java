package com.onemusic.privacy.consent;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.scope.ScopeKind;

/**
 * Configuration of consent-service ({@code consent.*} in {@code consent-service.yml}).
 *
 * @param controller the data controller named on receipts
 * @param jurisdiction the jurisdiction named on receipts
 * @param language the language of receipts
 * @param minorAge age under which a guardian must consent
 * @param maxBatchSize changes accepted in one request
 * @param initialPolicy the policy in force before any was published
 * @param scopes the scope catalog
 * @param headCacheSize how many users' ledger heads an instance keeps in memory, so that
 * their next change is a single insert (about 1 KB each; 0 keeps none)
 * @param closedAccountRetention how long a closed account's ledger is kept as proof of
 * consent before it is deleted
 * @param closedAccountSweepInterval how often ledgers whose retention ended are looked
 * for
 */
@Validated
@ConfigurationProperties("consent")
public record ConsentProperties(@Valid @NotNull Controller controller, @DefaultValue("CN") String jurisdiction,
		@DefaultValue("zh-CN") String language, @DefaultValue("14") @Min(1) int minorAge,
		@DefaultValue("50") @Min(1) int maxBatchSize, @Valid @NotNull InitialPolicy initialPolicy,
		@NotEmpty List<@Valid ScopeDefinition> scopes, @DefaultValue("100000") @Min(0) int headCacheSize,
		@DefaultValue("P3Y") @NotNull Period closedAccountRetention,
		@DefaultValue("1h") @NotNull Duration closedAccountSweepInterval) {

	/**
	 * The catalog, checked.
	 * @return the scope catalog
	 */
	public ScopeCatalog catalog() {
		return new ScopeCatalog(this.scopes.stream()
			.map((scope) -> new Scope(scope.code(), scope.kind(), scope.title(), scope.purpose(),
					scope.dataCategories(), scope.sensitive(), scope.partnerCategory()))
			.toList());
	}

	/**
	 * The data controller.
	 *
	 * @param name legal name
	 * @param contact contact person or role
	 * @param email contact email
	 * @param address postal address
	 * @param url web site
	 */
	public record Controller(@NotBlank String name, @NotBlank String contact, @NotBlank String email,
			@NotBlank String address, @NotBlank String url) {

	}

	/**
	 * The first policy version.
	 *
	 * @param version the version name
	 * @param url where it is published
	 * @param effectiveFrom when it came into force
	 */
	public record InitialPolicy(@NotBlank String version, @NotBlank String url, @NotNull Instant effectiveFrom) {

	}

	/**
	 * One scope as configured.
	 *
	 * @param code the code
	 * @param kind the kind
	 * @param title the title
	 * @param purpose the purpose text
	 * @param dataCategories the data categories
	 * @param sensitive whether it concerns sensitive personal information
	 * @param partnerCategory for sharing scopes, the partner category
	 */
	public record ScopeDefinition(@NotBlank String code, @NotNull ScopeKind kind, @NotBlank String title,
			@NotBlank String purpose, List<String> dataCategories, boolean sensitive, String partnerCategory) {

	}

}
