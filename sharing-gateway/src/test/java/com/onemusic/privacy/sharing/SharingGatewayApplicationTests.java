package com.onemusic.privacy.sharing;

import com.onemusic.privacy.testsupport.ServiceContractTests;

/**
 * sharing-gateway keeps the contract every service keeps (see
 * {@link ServiceContractTests}).
 */
@GatewayTest
class SharingGatewayApplicationTests extends ServiceContractTests {

}
