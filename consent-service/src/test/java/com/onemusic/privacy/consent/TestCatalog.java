package com.onemusic.privacy.consent;

import java.util.List;

import com.onemusic.privacy.consent.scope.Scope;
import com.onemusic.privacy.consent.scope.ScopeCatalog;
import com.onemusic.privacy.consent.scope.ScopeKind;

/** A small catalog for unit tests. */
public final class TestCatalog {

	private TestCatalog() {
	}

	public static ScopeCatalog catalog() {
		return new ScopeCatalog(List.of(
				new Scope("necessary.account", ScopeKind.NECESSARY, "账号", "登录", List.of("phone"), false, null),
				new Scope("purpose.marketing-push", ScopeKind.PURPOSE, "营销", "推送", List.of("phone"), false, null),
				new Scope("permission.location", ScopeKind.DEVICE_PERMISSION, "位置", "附近的人", List.of("precise-location"),
						true, null),
				new Scope("sharing.service-providers", ScopeKind.SHARING, "服务商", "物流", List.of("phone"), false,
						"SERVICE_PROVIDER")));
	}

}
