package com.onemusic.privacy.sharing;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * sharing-gateway keeps the contract every service keeps (see
 * {@link ServiceContractTests}).
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + SharingGatewayApplication.NAME)
class SharingGatewayApplicationTests extends ServiceContractTests {

}
