//! `wsl_error`: what wsl.exe prints when something fails, in every language
//! it ships, mapped to one stable `message_key`.
//!
//! Phrasings come from microsoft/WSL's localised resource strings
//! (`localization/strings/<lang>/Resources.resw`, 22 languages) and the code
//! that prints them (`src/windows/service/exe/WslCoreVm.cpp`,
//! `LxssUserSession.cpp`, `src/windows/common/wslutil.cpp`):
//!
//! - `MirroredNotSupported` (`MessageMirroredNetworkingNotSupportedReason`, and
//!   the older `Mirrored networking mode is not supported, falling back to NAT
//!   networking`): `reason` is `windows_version` (with `windows_build`),
//!   `kernel` or `ipv6_disabled`, read from the locale-invariant parts of the
//!   reason (a build number, `5.10`, `DisabledComponents`).
//! - `NetworkFallback` (`MessageNetworkInitializationFailedFallback2`: `Failed
//!   to configure network (networkingMode Mirrored), falling back to
//!   networkingMode None`): `mode` and `fallback`, read from the
//!   `networkingMode` tokens that no translation changes.
//! - `LocalhostProxyNotMirrored`, `Ipv6ProxyNotMirrored`,
//!   `LocalhostIpv6ProxyNotMirrored` (`MessageProxy*SettingsDropped`).
//! - `ErrorCode`: `Error code: Wsl/Service/CreateInstance/CreateVm/HCS/0x80370102`
//!   (the label is localised, the code is not): `code`, `hresult`, `step`
//!   (the component before the HRESULT), `error_name` for well-known HRESULTs.
//!   `RegisterDistributionFailed`: `WslRegisterDistribution failed with error:
//!   0x80070057`; bare `Error: 0x80370102` (older wsl.exe) is `ErrorCode`.
//! - `InvalidOption`: the inbox wsl.exe's `Invalid command line option:
//!   --version` in any language (`option`).
//!
//! Records are read line by line (also across JSON-escaped `\n`), so a
//! message pasted into a client log or a JSON string is read too.
//! Limits: a localised message with no ASCII words (zh, ja, ko, ru) and no
//! `wsl: ` prefix holds none of the literals and is not read.

use crate::event::EventRef;
// "invalid" in the inbox wsl.exe's option error, in the languages seen in pastes.
use crate::parse::wsl_cli::INVALID_WORDS;
use crate::signal::{text, Family, Kind, Signal};

/// `wsl_error`: wsl.exe reported an error code or a known message.
pub static WSL_ERROR: Family = Family {
    kind: Kind::WslError,
    name: "wsl_error",
    about: "wsl.exe reported an error code or a known message",
    fields: &[
        "message_key",
        "resource",
        "code",
        "hresult",
        "error_name",
        "step",
        "reason",
        "windows_build",
        "mode",
        "fallback",
        "option",
    ],
    literals: &[
        "wsl:",
        "networkingmode",
        "mirrored networking",
        "red reflejada",
        "rede espelhado",
        "mis en miroir",
        "con mirroring",
        "gespiegelte netzwerkmodus",
        "gespiegelde netwerkmodus",
        "dublowanych sieci",
        "peilatun verkon",
        "avspeilet nettverksmodus",
        "localhost proxy",
        "proxy localhost",
        "localhost-proxy",
        "localhostproxy",
        "proxies de localhost",
        "ipv6 proxy",
        "ipv6-proxy",
        "proxy ipv6",
        "wsl/",
        "createinstance/",
        "createvm/",
        "registerdistro/",
        "installdistro/",
        "wslregisterdistribution",
        "error: 0x",
        "error code: 0x",
        "--version",
        "command line option",
    ],
    narrow: crate::signal::broad,
    read: read_wsl_error,
};

/// (message_key, resource name, the fixed text of one localised line, ASCII lower-cased).
/// Generated from every `Resources.resw` of microsoft/WSL (see docs/signals-parts/wsl-platform-config.md).
static HEADS: &[(&str, &str, &str)] = &[
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "a localhost ipv6 proxy configuration was detected but not mirrored into wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "a rendszer localhost ipv6-proxykonfigurációt észlelt, de nem tükrözte a wsl-be"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "a wsl nem támogatja a localhost ipv6-proxykat"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "bir localhost ipv6 proxy yapılandırması algılandı ancak wsl'ye yansıtılmadı"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "byla zjištěna konfigurace proxy serveru ipv6 místního hostitele, ale nebyla zrcadlena do wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "der blev registreret en localhost ipv6-proxykonfiguration, men den blev ikke spejlet til wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "eine localhost-ipv6-proxykonfiguration wurde erkannt, aber nicht in wsl gespiegelt"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "en ipv6-proxy-konfigurasjon for localhost ble oppdaget, men er ikke avspeilet i wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "en konfiguration för localhost ipv6-proxy upptäcktes men speglades inte i wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "er is een localhost ipv6-proxyconfiguratie gedetecteerd, maar niet gespiegeld in wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "foi detetada uma configuração de proxy ipv6 de localhost, mas não foi espelhada no wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "havaittiin localhost ipv6 -välityspalvelimen määritys, mutta sitä ei peilattu wsl:ään"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "localhost ipv6 프록시 구성이 검색되었지만 wsl에 미러링되지 않았습니다"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "o wsl não dá suporte a proxies ipv6 de localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "o wsl não suporta proxies ipv6 de localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "podsystem wsl nie obsługuje serwerów proxy ipv6 hosta lokalnego"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "se detectó una configuración de proxy ipv6 localhost, pero no se reflejó en wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "uma configuração de proxy ipv6 de localhost foi detectada, mas não espelhada em wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "une configuration de proxy ipv6 localhost a été détectée, mais n’a pas été mise en miroir dans wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl biedt geen ondersteuning voor localhost ipv6-proxy's"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl does not support localhost ipv6 proxies"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl ei tue localhost ipv6 -välityspalvelimia"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl ne prend pas en charge les proxys ipv6 localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl nepodporuje proxy localhost ipv6"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl no admite servidores proxy ipv6 localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl non supporta i proxy ipv6 localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl stöder inte localhost ipv6-proxys"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl støtter ikke ipv6-proxyer for localhost"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl understøtter ikke localhost ipv6-proxyer"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl unterstützt keine localhost-ipv6-proxys"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl не поддерживает прокси-серверы localhost ipv6"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl はローカルホスト ipv6 プロキシをサポートしません"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl 不支持 localhost ipv6 代理"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl 不支援 localhost ipv6 proxy"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl, localhost ipv6 proxy'lerini desteklemez"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wsl은 localhost ipv6 프록시를 지원하지 않습니다"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "wykryto konfigurację serwera proxy ipv6 hosta lokalnego, ale nie została ona zdublowana w podsystemie wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "È stata rilevata una configurazione proxy ipv6 localhost, ma non è stato eseguito il mirroring in wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "Конфигурация прокси-сервера localhost ipv6 обнаружена, но не отражена в wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "ローカルホスト ipv6 プロキシ構成が検出されましたが、wsl にミラーリングされませんでした"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "偵測到 localhost ipv6 proxy 設定，但未鏡像到 wsl"),
    ("LocalhostIpv6ProxyNotMirrored", "MessageProxyLoopbackV6SettingsDropped", "检测到 localhost ipv6 代理配置，但未镜像到 wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "a rendszer egy ipv6-proxykonfigurációt észlelt, de nem tükrözte a wsl-be"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "a wsl nat-módban nem támogatja az ipv6 proxyt"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "an ipv6 proxy configuration was detected but not mirrored into wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "bir ipv6 proxy yapılandırması algılandı ancak wsl'ye yansıtılmadı"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "byla zjištěna konfigurace proxy serveru ipv6, ale nebyla zrcadlena do wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "der blev registreret en ipv6-proxykonfiguration, men den blev ikke spejlet til wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "eine ipv6-proxykonfiguration wurde erkannt, aber nicht in wsl gespiegelt"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "en ipv6-proxykonfigurasjon ble oppdaget, men ikke avspeilet i wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "en ipv6-proxykonfiguration identifierades men speglades inte till wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "er is een ipv6-proxyconfiguratie gedetecteerd, maar niet gespiegeld in wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "foi detetada uma configuração de proxy ipv6, mas não foi espelhada no wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "havaittiin ipv6-välityspalvelimen määritys, mutta sitä ei peilattu wsl:ään"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "ipv6 プロキシ構成が検出されましたが、wsl にミラーリングされませんでした"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "ipv6 프록시 구성이 검색되었지만 wsl로 미러링되지 않았습니다"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat modunda wsl, ipv6'yı desteklemez"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat モードの wsl は ipv6 をサポートしません"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat 模式下的 wsl 不支持 ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat 模式中的 wsl 不支援 ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat 모드의 wsl은 ipv6을 지원하지 않습니다"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "nat-tilassa wsl ei tue ipv6:ta"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "o wsl no modo nat não dá suporte a ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "o wsl no modo nat não suporta ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "podsystem wsl w trybie nat nie obsługuje protokołu ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "se detectó una configuración de proxy ipv6, pero no se reflejó en wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "uma configuração de proxy ipv6 foi detectada, mas não espelhada em wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "une configuration de proxy ipv6 a été détectée, mais n’a pas été mise en miroir dans wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl en mode nat ne prend pas en charge ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl en modo nat no admite ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl i nat-läge stöder inte ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl i nat-modus støtter ikke ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl i nat-tilstand understøtter ikke ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl im nat-modus unterstützt ipv6 nicht"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl in modalità nat non supporta ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl in nat mode does not support ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl in nat-modus biedt geen ondersteuning voor ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl v režimu nat nepodporuje protokol ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wsl в режиме nat не поддерживает ipv6"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "wykryto konfigurację serwera proxy ipv6, ale nie została ona zdublowana w podsystemie wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "È stata rilevata una configurazione proxy ipv6 ma non è stato eseguito il mirroring in wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "Конфигурация прокси-сервера ipv6 обнаружена, но не отражена в wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "偵測到 ipv6 proxy 設定，但未鏡像到 wsl"),
    ("Ipv6ProxyNotMirrored", "MessageProxyV6SettingsDropped", "检测到 ipv6 代理配置，但未镜像到 wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "a localhost proxy configuration was detected but not mirrored into wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "a nat módban futó wsl nem támogatja a localhost proxykat"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "a rendszer localhost-proxykonfigurációt észlelt, de nem tükrözte a wsl-be"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "bir localhost proxy yapılandırması algılandı ancak wsl'ye yansıtılmadı"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "byla zjištěna konfigurace proxy serveru localhost, ale nebyla zrcadlena do wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "der blev registreret en localhost-proxykonfiguration, men den blev ikke spejlet til wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "eine localhost-proxykonfiguration wurde erkannt, aber nicht in wsl gespiegelt"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "en konfiguration för localhost-proxy upptäcktes men speglades inte i wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "en localhost-proxykonfigurasjon ble oppdaget, men ikke avspeilet i windows subsystem for linux"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "er is een localhost-proxyconfiguratie gedetecteerd, maar niet gespiegeld in wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "foi detetada uma configuração de proxy de localhost, mas não foi espelhada no wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "havaittiin localhost-välityspalvelimen määritys, mutta sitä ei peilattu wsl:ään"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "localhost 프록시 구성이 검색되었지만 wsl로 미러링되지 않았습니다"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "nat modundaki wsl, localhost proxy'lerini desteklemez"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "nat モードの wsl は、ローカルホスト プロキシをサポートしません"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "nat 模式下的 wsl 不支持 localhost 代理"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "nat 模式中的 wsl 不支援 localhost proxy"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "nat 모드의 wsl은 localhost 프록시를 지원하지 않습니다"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "o wsl no modo nat não dá suporte a proxies de localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "o wsl no modo nat não suporta proxies de localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "podsystem wsl w trybie nat nie obsługuje serwerów proxy hosta lokalnego"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "se detectó una configuración de proxy localhost, pero no se refleja en wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "uma configuração de proxy de host local foi detectada, mas não espelhada em wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "une configuration de proxy localhost a été détectée, mais n’a pas été mise en miroir dans wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "windows subsystem for linux i nat-modus støtter ikke localhost-proxyer"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl en mode nat ne prend pas en charge les proxys localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl en modo nat no admite servidores proxy localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl i nat-läge stöder inte localhost-proxys"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl i nat-tilstand understøtter ikke localhost-proxyer"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl im nat-modus unterstützt keine localhost-proxys"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl in modalità nat non supporta i proxy localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl in nat mode does not support localhost proxies"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl in nat-modus biedt geen ondersteuning voor localhostproxy's"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl nat-tilassa ei tue localhost-välityspalvelimia"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl v režimu nat nepodporuje proxy localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wsl в режиме nat не поддерживает прокси-серверы localhost"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "wykryto konfigurację serwera proxy hosta lokalnego, ale nie została ona zdublowana w podsystemie wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "È stata rilevata una configurazione proxy localhost ma non è stato eseguito il mirroring in wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "Конфигурация прокси-сервера localhost обнаружена, но не отражена в wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "ローカルホスト プロキシ構成が検出されましたが、wsl にミラーリングされませんでした"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "偵測到 localhost proxy 設定，但未鏡像到 wsl"),
    ("LocalhostProxyNotMirrored", "MessageProxyLocalhostSettingsDropped", "检测到 localhost 代理配置，但未镜像到 wsl"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "a tükrözött hálózati mód nem támogatott"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "avspeilet nettverksmodus støttes ikke"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "der gespiegelte netzwerkmodus wird nicht unterstützt"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "gespiegelde netwerkmodus wordt niet ondersteund"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "la modalità di rete con mirroring non è supportata"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "le mode réseau mis en miroir n’est pas pris en charge"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "mirrored networking mode is not supported"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "no se admite el modo de red reflejada"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "não há suporte para o modo de rede espelhado"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "o modo de rede espelhado não é suportado"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "peilatun verkon tilaa ei tueta"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "speglat nätverksläge stöds inte"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "spejlet netværkstilstand understøttes ikke"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "tryb dublowanych sieci nie jest obsługiwany"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "yansıtılmış ağ modu desteklenmiyor"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "zrcadlený síťový režim není podporován"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "Режим зеркальной сети не поддерживается"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "ミラー化されたネットワーク モードはサポートされていません"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "不支持镜像网络模式"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "不支援鏡像網路模式"),
    ("MirroredNotSupported", "MessageMirroredNetworkingNotSupportedReason", "미러된 네트워킹 모드는 지원되지 않음"),
];

/// The networking modes `ToString(NetworkingMode)` prints (`src/windows/common/WslCoreConfig.h`),
/// plus `VirtioProxy` of the 2.0 releases.
const MODES: [&str; 7] = [
    "Mirrored",
    "Nat",
    "None",
    "VirtioProxy",
    "Consomme",
    "Bridged",
    "NAT",
];

/// The first components of a WSL error code (`g_contextStrings` in `wslutil.cpp`).
const CONTEXTS: [&str; 14] = [
    "Wsl",
    "Wslg",
    "Bash",
    "WslConfig",
    "Service",
    "InstallDistro",
    "RegisterDistro",
    "CreateInstance",
    "CreateVm",
    "AttachDisk",
    "MountDisk",
    "LaunchProcess",
    "UpdatePackage",
    "ConfigureNetworking",
];

/// Well-known HRESULTs in WSL reports (winerror.h, computecoreerrors.h, HCN docs).
const HRESULT_NAMES: [(&str, &str); 8] = [
    ("0x80370102", "HCS_E_HYPERV_NOT_INSTALLED"),
    ("0x8007054f", "ERROR_INTERNAL_ERROR"),
    ("0x803b0015", "HCN_E_REQUEST_UNSUPPORTED"),
    ("0x80070057", "E_INVALIDARG"),
    ("0x8000ffff", "E_UNEXPECTED"),
    ("0x80004005", "E_FAIL"),
    ("0x80070422", "ERROR_SERVICE_DISABLED"),
    ("0x80370114", "HCS_E_SERVICE_NOT_AVAILABLE"),
];

fn read_wsl_error<'a>(ev: &EventRef<'a>, out: &mut Vec<Signal<'a>>) {
    let rec = ev.record_text();
    let base = ev.event.text.start;
    for (l0, line) in lines(rec) {
        let at = base.saturating_add(u32::try_from(l0).unwrap_or(u32::MAX));
        if let Some(s) = heads(line, at) {
            out.push(s);
        } else if let Some(s) = fallback(line, at) {
            out.push(s);
        } else if let Some(s) = invalid_option(line, at) {
            out.push(s);
        }
        codes(line, at, out);
    }
}

/// The lines of a record, also split at JSON-escaped line ends (`\n`, `\r\n`), with their offsets.
fn lines(rec: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let rest = rec.get(from..)?;
        if rest.is_empty() {
            return None;
        }
        let nl = rest.find('\n');
        let esc = rest.find("\\n");
        let (end, skip) = match (nl, esc) {
            (Some(a), Some(b)) if b < a => (b, 2),
            (Some(a), _) => (a, 1),
            (None, Some(b)) => (b, 2),
            (None, None) => (rest.len(), 0),
        };
        let mut line = &rest[..end];
        line = line.trim_end_matches('\r');
        if let Some(l) = line.strip_suffix("\\r") {
            line = l;
        }
        let start = from;
        from += end + skip;
        Some((start, line))
    })
}

/// A message of [`HEADS`] in `line`.
fn heads<'a>(line: &'a str, at: u32) -> Option<Signal<'a>> {
    let (key, res, h, i) = HEADS
        .iter()
        .find_map(|(k, r, h)| text::find_ci(line, h, 0).map(|i| (*k, *r, *h, i)))?;
    let end = line.trim_end().len().max(i + h.len());
    let mut s = Signal::new(Kind::WslError, text::abs(at, i..end))
        .with("message_key", key)
        .with("resource", res);
    if key == "MirroredNotSupported" {
        let rest = line.get(i + h.len()..).unwrap_or("");
        if text::contains_ci(rest, "disabledcomponents") {
            s = s.with("reason", "ipv6_disabled");
        } else if rest.contains("5.10") {
            s = s.with("reason", "kernel");
        } else if let Some((b0, b)) = build_number(rest) {
            s = s.with("reason", "windows_version");
            let o = i + h.len() + b0;
            s = s.with_slice("windows_build", b, text::abs(at, o..o).start);
        } else if text::contains_ci(rest, "windows") {
            s = s.with("reason", "windows_version");
        }
    }
    Some(s)
}

/// The first run of exactly five digits (a Windows build number) in `s`.
fn build_number(s: &str) -> Option<(usize, &str)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let j = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if j - i == 5 {
                return Some((i, &s[i..j]));
            }
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

/// The networking mode word at byte `i` of `line` (ASCII case-insensitive, whole word).
fn mode_at(line: &str, i: usize) -> Option<&str> {
    let rest = line.get(i..)?;
    let n = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let w = &rest[..n];
    (text::word_start(line, i) && MODES.iter().any(|m| m.eq_ignore_ascii_case(w))).then_some(w)
}

/// `Failed to configure network (networkingMode Mirrored), falling back to networkingMode None.` in any language.
fn fallback<'a>(line: &'a str, at: u32) -> Option<Signal<'a>> {
    let k = text::find_ci(line, "networkingmode", 0)?;
    let after = k + "networkingmode".len();
    let gap = line
        .get(after..)?
        .bytes()
        .take_while(|c| *c == b' ' || *c == b'\t')
        .count();
    if gap == 0 {
        return None; // `networkingMode=mirrored` is a setting, not the message
    }
    let m0 = after + gap;
    let mode = mode_at(line, m0)?;
    // The last mode word after the configured one is the one WSL fell back to.
    let mut fb: Option<(usize, &str)> = None;
    let mut i = m0 + mode.len();
    while i < line.len() {
        if line.is_char_boundary(i) {
            if let Some(w) = mode_at(line, i) {
                fb = Some((i, w));
                i += w.len();
                continue;
            }
        }
        i += 1;
    }
    let (f0, f) = fb?;
    let mut s = Signal::new(Kind::WslError, text::abs(at, 0..line.trim_end().len()))
        .with("message_key", "NetworkFallback")
        .with("resource", "MessageNetworkInitializationFailedFallback2");
    s = s.with_slice("mode", mode, text::abs(at, m0..m0).start);
    s = s.with_slice("fallback", f, text::abs(at, f0..f0).start);
    Some(s)
}

/// `Invalid command line option: --version` (inbox wsl.exe) in any language.
fn invalid_option<'a>(line: &'a str, at: u32) -> Option<Signal<'a>> {
    let (c, clen) = line
        .char_indices()
        .find(|&(_, ch)| ch == ':' || ch == '：')
        .map(|(i, ch)| (i, ch.len_utf8()))?;
    let label = line[..c].to_lowercase();
    if !INVALID_WORDS.iter().any(|w| label.contains(w)) {
        return None;
    }
    let v = line[c + clen..].trim();
    if !v.starts_with('-') || v.contains(' ') {
        return None;
    }
    let o = text::offset_of(line, v, at);
    Some(
        Signal::new(Kind::WslError, text::abs(at, 0..line.trim_end().len()))
            .with("message_key", "InvalidOption")
            .with_slice("option", v, o),
    )
}

/// Error codes in `line`: `Wsl/Service/.../0x80370102`, `CreateInstance/.../E_INVALIDARG`,
/// `WslRegisterDistribution failed with error: 0x80070057`, `Error: 0x80370102`.
fn codes<'a>(line: &'a str, at: u32, out: &mut Vec<Signal<'a>>) {
    let delim = |c: char| c.is_whitespace() || "\"'(),;[]<>`".contains(c);
    let mut found = false;
    for tok in line.split(delim) {
        let tok = tok.trim_end_matches(['.', ':']);
        if !tok.contains('/') {
            continue;
        }
        let mut parts = tok.split('/');
        let first = parts.next().unwrap_or("");
        let last = tok.rsplit('/').next().unwrap_or("");
        if !CONTEXTS.contains(&first) || !is_hresult(last) {
            continue;
        }
        let t0 = text::offset_of(line, tok, at);
        let h0 = text::offset_of(line, last, at);
        let step = tok
            .rsplit('/')
            .nth(1)
            .filter(|s| !s.is_empty())
            .unwrap_or("");
        let mut s = Signal::new(Kind::WslError, t0..t0 + tok.len() as u32)
            .with("message_key", "ErrorCode")
            .with_slice("code", tok, t0)
            .with_slice("hresult", last, h0);
        if let Some(n) = name_of(last) {
            s = s.with("error_name", n);
        }
        if !step.is_empty() {
            s = s.with_slice("step", step, text::offset_of(line, step, at));
        }
        out.push(s);
        found = true;
    }
    if found {
        return;
    }
    for (label, key) in [
        (
            "wslregisterdistribution failed with error: ",
            "RegisterDistributionFailed",
        ),
        ("error code: ", "ErrorCode"),
        ("error: ", "ErrorCode"),
    ] {
        let Some(i) = text::find_ci(line, label, 0) else {
            continue;
        };
        if !text::word_start(line, i) {
            continue;
        }
        let h0 = i + label.len();
        let hex = line.get(h0..).unwrap_or("");
        let n = hex
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let h = &hex[..n];
        if !is_hex_code(h) {
            continue;
        }
        let mut s = Signal::new(Kind::WslError, text::abs(at, i..h0 + n))
            .with("message_key", key)
            .with_slice("code", h, text::abs(at, h0..h0).start)
            .with_slice("hresult", h, text::abs(at, h0..h0).start);
        if let Some(nm) = name_of(h) {
            s = s.with("error_name", nm);
        }
        out.push(s);
        return;
    }
}

/// `0x8007054f` (eight hex digits) or a symbolic HRESULT (`E_UNEXPECTED`, `HCS_E_TERMINATED`, `ERROR_FILE_NOT_FOUND`).
fn is_hresult(s: &str) -> bool {
    is_hex_code(s)
        || (s.len() >= 3
            && s.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
            && (s.starts_with("E_")
                || s.contains("_E_")
                || s.starts_with("ERROR_")
                || s.starts_with("WSAE")
                || s.starts_with("RPC_")
                || s.starts_with("STATUS_")))
}

fn is_hex_code(s: &str) -> bool {
    s.len() == 10
        && (s.starts_with("0x") || s.starts_with("0X"))
        && s[2..].bytes().all(|c| c.is_ascii_hexdigit())
}

fn name_of(h: &str) -> Option<&'static str> {
    HRESULT_NAMES
        .iter()
        .find(|(x, _)| x.eq_ignore_ascii_case(h))
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use crate::signal::testkit::read;
    use crate::signal::Kind;

    fn r(file: &str, text: &str) -> Vec<String> {
        read(file, text, Kind::WslError)
    }

    #[test]
    fn mirrored_not_supported_in_english_old_and_new() {
        assert_eq!(
            r("wsl-start.txt", "wsl: Mirrored networking mode is not supported, falling back to NAT networking\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason"]
        );
        assert_eq!(
            r("wsl-start.txt", "wsl: Mirrored networking mode is not supported: Windows version 19045.5247 does not have the required features.\nFalling back to NAT networking.\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason reason=windows_version windows_build=19045"]
        );
        assert_eq!(
            r("terminal.txt", "wsl: Mirrored networking mode is not supported: Linux Kernel version 5.10 or newer is required.\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason reason=kernel"]
        );
    }

    #[test]
    fn mirrored_not_supported_localised() {
        // zh-CN, full-width colon; the reason keeps the build number.
        assert_eq!(
            r("wsl-start.txt", "wsl: 不支持镜像网络模式： Windows 版本 19044.5011 没有所需的功能。\n正在回退到 NAT 网络。\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason reason=windows_version windows_build=19044"]
        );
        // de-DE, inside a Claude Code debug log.
        assert_eq!(
            r("claude-debug.txt", "2025-06-01T10:00:00.000Z [DEBUG] wsl: Der gespiegelte Netzwerkmodus wird nicht unterstützt: Windows-Version 19045. 4780 verfügt nicht über die erforderlichen Features.\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason reason=windows_version windows_build=19045"]
        );
        // es-ES as Event Viewer shows it (older wording, no reason).
        assert_eq!(
            r("events.txt", "No se admite el modo de red reflejada, revirtiendo a las redes NAT\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason"]
        );
        // ja-JP with the wsl: prefix (no ASCII words otherwise).
        assert_eq!(
            r("wsl-start.txt", "wsl: ミラー化されたネットワーク モードはサポートされていません: IPv6 is disabled (DisabledComponents=0xff)\n"),
            ["message_key=MirroredNotSupported resource=MessageMirroredNetworkingNotSupportedReason reason=ipv6_disabled"]
        );
    }

    #[test]
    fn network_fallback_reads_the_modes() {
        assert_eq!(
            r("wsl-start.txt", "wsl: Failed to configure network (networkingMode Mirrored), falling back to networkingMode None.\n"),
            ["message_key=NetworkFallback resource=MessageNetworkInitializationFailedFallback2 mode=Mirrored fallback=None"]
        );
        // The zh-CN wording of 2.3 with its misplaced parenthesis.
        assert_eq!(
            r("wsl-start.txt", "wsl: 无法配置 networkingMode Mirrored) (网络，回退到 networkingMode None。\n"),
            ["message_key=NetworkFallback resource=MessageNetworkInitializationFailedFallback2 mode=Mirrored fallback=None"]
        );
        // it-IT names the fallback mode without the setting's name.
        assert_eq!(
            r("mcp.log", "2025-06-01T10:00:00.000Z [error] wsl: Non è stato possibile configurare la rete (networkingMode Mirrored). Verrà eseguito il fallback alla modalità di rete Nat.\n"),
            ["message_key=NetworkFallback resource=MessageNetworkInitializationFailedFallback2 mode=Mirrored fallback=Nat"]
        );
        // A .wslconfig setting is not the message.
        assert!(r(".wslconfig", "[wsl2]\nnetworkingMode=mirrored\n").is_empty());
        assert!(r("notes.txt", "set networkingMode mirrored in the file\n").is_empty());
    }

    #[test]
    fn localhost_proxy_warnings() {
        let en = "wsl: A localhost proxy configuration was detected but not mirrored into WSL. WSL in NAT mode does not support localhost proxies.\n";
        assert_eq!(
            r("wsl-start.txt", en),
            ["message_key=LocalhostProxyNotMirrored resource=MessageProxyLocalhostSettingsDropped"]
        );
        assert_eq!(
            r("wsl-start.txt", "wsl: 检测到 localhost 代理配置，但未镜像到 WSL。NAT 模式下的 WSL 不支持 localhost 代理。\n"),
            ["message_key=LocalhostProxyNotMirrored resource=MessageProxyLocalhostSettingsDropped"]
        );
        assert_eq!(
            r("vscode-output.log", "2025-06-01 10:00:00.000 [error] wsl: ローカルホスト プロキシ構成が検出されましたが、WSL にミラーリングされませんでした。NAT モードの WSL は、ローカルホスト プロキシをサポートしません。\n"),
            ["message_key=LocalhostProxyNotMirrored resource=MessageProxyLocalhostSettingsDropped"]
        );
        assert_eq!(
            r("wsl-start.txt", "wsl: Eine Localhost-Proxykonfiguration wurde erkannt, aber nicht in WSL gespiegelt. WSL im NAT-Modus unterstützt keine Localhost-Proxys.\n"),
            ["message_key=LocalhostProxyNotMirrored resource=MessageProxyLocalhostSettingsDropped"]
        );
        assert_eq!(
            r("wsl-start.txt", "wsl: A localhost IPv6 proxy configuration was detected but not mirrored into WSL. WSL does not support localhost IPv6 proxies.\n"),
            ["message_key=LocalhostIpv6ProxyNotMirrored resource=MessageProxyLoopbackV6SettingsDropped"]
        );
        // JSON-escaped inside a client's JSON log line.
        assert_eq!(
            r("claude-code.json", "{\"level\":\"error\",\"stderr\":\"wsl: A localhost proxy configuration was detected but not mirrored into WSL. WSL in NAT mode does not support localhost proxies.\\r\\n\"}\n"),
            ["message_key=LocalhostProxyNotMirrored resource=MessageProxyLocalhostSettingsDropped"]
        );
    }

    #[test]
    fn error_codes() {
        assert_eq!(
            r("wsl-start.txt", "wsl: An internal error occurred.\nError code: CreateInstance/CreateVm/ConfigureNetworking/0x8007054f\n"),
            ["message_key=ErrorCode code=CreateInstance/CreateVm/ConfigureNetworking/0x8007054f hresult=0x8007054f error_name=ERROR_INTERNAL_ERROR step=ConfigureNetworking"]
        );
        assert_eq!(
            r("wsl-start.txt", "错误代码: Wsl/Service/CreateInstance/CreateVm/HCS/0x80370102\n"),
            ["message_key=ErrorCode code=Wsl/Service/CreateInstance/CreateVm/HCS/0x80370102 hresult=0x80370102 error_name=HCS_E_HYPERV_NOT_INSTALLED step=HCS"]
        );
        assert_eq!(
            r("wsl-start.txt", "Código de error: Wsl/E_INVALIDARG\n"),
            ["message_key=ErrorCode code=Wsl/E_INVALIDARG hresult=E_INVALIDARG step=Wsl"]
        );
        assert_eq!(
            r("install.txt", "Installing, this may take a few minutes...\nWslRegisterDistribution failed with error: 0x80070057\nError: 0x80070057 ?????\n"),
            [
                "message_key=RegisterDistributionFailed code=0x80070057 hresult=0x80070057 error_name=E_INVALIDARG",
                "message_key=ErrorCode code=0x80070057 hresult=0x80070057 error_name=E_INVALIDARG"
            ]
        );
        // Not WSL: a path with slashes, a short hex.
        assert!(r("app.log", "error: 0x1f at wsl/usr/lib\n").is_empty());
    }

    #[test]
    fn inbox_wsl_rejects_version() {
        assert_eq!(
            r(
                "ps-transcript.txt",
                "PS C:\\> wsl --version\nInvalid command line option: --version\n"
            ),
            ["message_key=InvalidOption option=--version"]
        );
        assert_eq!(
            r(
                "wsl-version.txt",
                "Ungültige Befehlszeilenoption: --version\r\n"
            ),
            ["message_key=InvalidOption option=--version"]
        );
        assert_eq!(
            r(
                "cmd.txt",
                "C:\\Windows\\system32>wsl --version\n命令行选项无效: --version\n"
            ),
            ["message_key=InvalidOption option=--version"]
        );
        assert!(r("wsl-version.txt", "WSL version: 2.4.13.0\n").is_empty());
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "wsl:",
            "networkingMode ",
            "networkingMode Mirrored",
            "Error code: Wsl/",
            "é:--version",
            "wsl: 不支持镜像网络模式：",
            "\\n\\n",
            "Error: 0x",
        ] {
            let _ = r("x.txt", t);
        }
    }
}
