package com.onemusic.privacy.consent.web;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.platform.web.ApiProblem;

/** The scope catalog: what users can consent to, and what needs no consent. */
@RestController
class CatalogController {

	private final ScopeCatalog catalog;

	CatalogController(ScopeCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/scopes")
	List<ScopeView> scopes() {
		return this.catalog.all().stream().map(ScopeView::of).toList();
	}

	@GetMapping("/scopes/{code}")
	ScopeView scope(@PathVariable String code) {
		return this.catalog.find(code)
			.map(ScopeView::of)
			.orElseThrow(() -> ApiProblem.notFound("unknown-scope", "Unknown scope code '" + code + "'"));
	}

	/**
	 * A scope as the API shows it.
	 *
	 * @param code the code
	 * @param kind the kind
	 * @param title the title
	 * @param purpose the purpose
	 * @param dataCategories the data categories
	 * @param sensitive whether it concerns sensitive personal information
	 * @param partnerCategory the partner category of a sharing scope
	 * @param requiresConsent false for strictly necessary processing
	 */
	record ScopeView(String code, com.onemusic.privacy.consent.scope.ScopeKind kind, String title, String purpose,
			List<String> dataCategories, boolean sensitive, String partnerCategory, boolean requiresConsent) {

		static ScopeView of(Scope scope) {
			return new ScopeView(scope.code(), scope.kind(), scope.title(), scope.purpose(), scope.dataCategories(),
					scope.sensitive(), scope.partnerCategory(), scope.requiresConsent());
		}

	}

}
