<?php
/* The IdP: entityID <baseUrl>/saml2/idp/metadata.php, a fresh key per run, RSA-SHA256. */
$settings = json_decode(file_get_contents(dirname(__DIR__) . '/settings.json'), true, 16, JSON_THROW_ON_ERROR);

$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    'privatekey' => $settings['idpKeyFile'],
    'certificate' => $settings['idpCertificateFile'],
    'auth' => 'rambridge-users',
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
];
