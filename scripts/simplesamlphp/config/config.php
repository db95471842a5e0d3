<?php
/*
 * SimpleSAMLphp 1.19 as a loopback test IdP for rambridge. A copy of this file runs from a temp
 * dir made by src/idp/saml/simplesamlphp/ (which writes settings.json next to it): never from
 * /etc/simplesamlphp, never with real users.
 */
$settings = json_decode(file_get_contents(dirname(__DIR__) . '/settings.json'), true, 16, JSON_THROW_ON_ERROR);
$dir = $settings['dir'];

$config = [
    'baseurlpath' => $settings['baseUrl'] . '/',
    'certdir' => $dir . '/cert/',
    'loggingdir' => $dir . '/log/',
    'datadir' => $dir . '/data/',
    'tempdir' => $dir . '/tmp/',
    'metadatadir' => $dir . '/metadata/',
    'attributenamemapdir' => '/etc/simplesamlphp/attributemap/',
    'secretsalt' => $settings['secretSalt'],
    'auth.adminpassword' => $settings['adminPassword'],
    'admin.protectindexpage' => true,
    'admin.protectmetadata' => false,
    'admin.checkforupdates' => false,
    'technicalcontact_name' => 'rambridge tests',
    'technicalcontact_email' => 'nobody@example.com',
    'timezone' => 'UTC',
    'trusted.url.domains' => [],

    'enable.saml20-idp' => true,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],

    // Plain http on loopback: Debian's defaults (Secure, SameSite=None) make it refuse to run.
    'session.cookie.secure' => false,
    'session.cookie.samesite' => 'Lax',
    'language.cookie.secure' => false,
    'language.cookie.samesite' => 'Lax',
    'session.phpsession.savepath' => $dir . '/sessions',
    'store.type' => 'phpsession',

    // The Twig UI of this package shows untranslated keys on login errors.
    'usenewui' => false,
    'production' => true,
    'showerrors' => true,
    'errorreporting' => false,
    'debug' => ['saml' => false, 'backtraces' => true, 'validatexml' => false],

    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',
    'logging.level' => SimpleSAML\Logger::INFO,
];
