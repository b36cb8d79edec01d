import { languageFromBrowser, type Language } from '#core/languages.ts'

/**
 * The setup page's words in the seven languages, chosen by the browser's `Accept-Language`. The
 * steps name each system's menus as that system shows them in the language. The HTML in them is
 * ours (bold menu names); nothing from a request goes in unescaped.
 */
export interface SetupWords {
  title: string
  heading: string
  /** Before and after the app's address in the introduction. */
  intro: [string, string]
  checking: string
  trusted: string
  untrusted: string
  openApp: string
  checkAgain: string
  trustOnce: string
  trustOrg: string
  /** The text when the station runs on the organisation's certificate; `{names}` its names. */
  orgCertificate: string
  itsAddresses: string
  downloadCertificate: string
  ipadProfile: string
  certificate: string
  fingerprint: string
  android: string[]
  ipad: string[]
  windows: string[]
  openHeading: string
  otherAddresses: string
  scanToOpenHere: string
  theApp: string
  qrOf: string
}

const en: SetupWords = {
  title: 'Set up this device · Picking station',
  heading: 'Set up this device for the picking station',
  intro: [
    'The picking app runs over HTTPS, so that the tablet can keep it, work offline and keep PINs and orders private on the network. Each device trusts the station once; after that, open',
    '.',
  ],
  checking: 'Checking whether this device trusts the station…',
  trusted: 'This device trusts the station.',
  untrusted: 'This device does not trust the station yet: follow the steps for it below, then check again.',
  openApp: 'Open the picking app',
  checkAgain: 'Check again',
  trustOnce: '1. Trust the station (once per device)',
  trustOrg: '1. Trust the station',
  orgCertificate: "This station uses your organisation's certificate (issued to {names}). Devices that trust its issuer need no setup; on others, install the issuer's certificate as your IT department says.",
  itsAddresses: 'its addresses',
  downloadCertificate: "Download the station's certificate",
  ipadProfile: 'iPad: download the profile',
  certificate: 'Certificate',
  fingerprint: 'SHA-256 fingerprint',
  android: [
    'Download the certificate above.',
    'Open <b>Settings → Security &amp; privacy → More security settings → Encryption &amp; credentials → Install a certificate → CA certificate</b> (on some tablets: <b>Settings → Security → Install from storage</b>), tap <b>Install anyway</b> and pick <i>picking-station-ca.crt</i> from Downloads.',
    "Open the app's address below in Chrome, then <b>⋮ → Add to Home screen</b>.",
  ],
  ipad: [
    'In Safari, tap <b>iPad: download the profile</b> and <b>Allow</b>.',
    'Open <b>Settings → General → VPN &amp; Device Management</b>, tap <b>Picking station</b>, then <b>Install</b>.',
    'Open <b>Settings → General → About → Certificate Trust Settings</b> and switch on full trust for <i>Picking station CA</i>.',
    "Open the app's address below in Safari, then <b>Share → Add to Home Screen</b>.",
  ],
  windows: [
    'Download the certificate above and open it: <b>Install Certificate… → Current User → Place all certificates in the following store → Browse → Trusted Root Certification Authorities → Finish</b>, and confirm.',
    "Close every Chrome window, open the app's address below, then <b>Install</b> in the address bar.",
  ],
  openHeading: '2. Open the app',
  otherAddresses: "The station's other addresses:",
  scanToOpenHere: 'Scan with the tablet to open this page on it:',
  theApp: 'The app:',
  qrOf: 'QR code of',
}

const cs: SetupWords = {
  title: 'Nastavení zařízení · Vychystávací stanice',
  heading: 'Nastavte toto zařízení pro vychystávací stanici',
  intro: [
    'Vychystávací aplikace běží přes HTTPS, aby si ji tablet mohl uložit, fungoval offline a PINy i objednávky zůstaly v síti soukromé. Každé zařízení stanici jednou označí za důvěryhodnou; potom otevřete',
    '.',
  ],
  checking: 'Zjišťuji, zda toto zařízení stanici důvěřuje…',
  trusted: 'Toto zařízení stanici důvěřuje.',
  untrusted: 'Toto zařízení stanici zatím nedůvěřuje: postupujte podle kroků níže a pak to zkontrolujte znovu.',
  openApp: 'Otevřít vychystávací aplikaci',
  checkAgain: 'Zkontrolovat znovu',
  trustOnce: '1. Důvěřujte stanici (jednou pro každé zařízení)',
  trustOrg: '1. Důvěřujte stanici',
  orgCertificate: 'Tato stanice používá certifikát vaší organizace (vydaný pro {names}). Zařízení, která důvěřují jeho vydavateli, nic nastavovat nemusí; na ostatní nainstalujte certifikát vydavatele podle pokynů vašeho IT oddělení.',
  itsAddresses: 'její adresy',
  downloadCertificate: 'Stáhnout certifikát stanice',
  ipadProfile: 'iPad: stáhnout profil',
  certificate: 'Certifikát',
  fingerprint: 'Otisk SHA-256',
  android: [
    'Stáhněte certifikát výše.',
    'Otevřete <b>Nastavení → Zabezpečení a soukromí → Další nastavení zabezpečení → Šifrování a pověření → Nainstalovat certifikát → Certifikát CA</b> (na některých tabletech: <b>Nastavení → Zabezpečení → Instalovat z úložiště</b>), klepněte na <b>Přesto nainstalovat</b> a vyberte <i>picking-station-ca.crt</i> ze Stažených souborů.',
    'Otevřete adresu aplikace níže v Chromu, pak <b>⋮ → Přidat na plochu</b>.',
  ],
  ipad: [
    'V Safari klepněte na <b>iPad: stáhnout profil</b> a na <b>Povolit</b>.',
    'Otevřete <b>Nastavení → Obecné → VPN a správa zařízení</b>, klepněte na <b>Picking station</b> a pak na <b>Instalovat</b>.',
    'Otevřete <b>Nastavení → Obecné → Informace → Nastavení důvěryhodnosti certifikátů</b> a zapněte plnou důvěru pro <i>Picking station CA</i>.',
    'Otevřete adresu aplikace níže v Safari, pak <b>Sdílet → Přidat na plochu</b>.',
  ],
  windows: [
    'Stáhněte certifikát výše a otevřete ho: <b>Nainstalovat certifikát… → Aktuální uživatel → Všechny certifikáty umístit v následujícím úložišti → Procházet → Důvěryhodné kořenové certifikační autority → Dokončit</b> a potvrďte.',
    'Zavřete všechna okna Chromu, otevřete adresu aplikace níže a pak v adresním řádku <b>Nainstalovat</b>.',
  ],
  openHeading: '2. Otevřete aplikaci',
  otherAddresses: 'Další adresy stanice:',
  scanToOpenHere: 'Naskenujte tabletem a otevřete tuto stránku na něm:',
  theApp: 'Aplikace:',
  qrOf: 'QR kód adresy',
}

const sk: SetupWords = {
  title: 'Nastavenie zariadenia · Vychystávacia stanica',
  heading: 'Nastavte toto zariadenie pre vychystávaciu stanicu',
  intro: [
    'Vychystávacia aplikácia beží cez HTTPS, aby si ju tablet mohol uložiť, fungoval offline a PIN-y aj objednávky zostali v sieti súkromné. Každé zariadenie stanici raz prejaví dôveru; potom otvorte',
    '.',
  ],
  checking: 'Zisťujem, či toto zariadenie dôveruje stanici…',
  trusted: 'Toto zariadenie dôveruje stanici.',
  untrusted: 'Toto zariadenie zatiaľ stanici nedôveruje: postupujte podľa krokov nižšie a potom to skontrolujte znova.',
  openApp: 'Otvoriť vychystávaciu aplikáciu',
  checkAgain: 'Skontrolovať znova',
  trustOnce: '1. Dôverujte stanici (raz pre každé zariadenie)',
  trustOrg: '1. Dôverujte stanici',
  orgCertificate: 'Táto stanica používa certifikát vašej organizácie (vydaný pre {names}). Zariadenia, ktoré dôverujú jeho vydavateľovi, nič nastavovať nemusia; na ostatné nainštalujte certifikát vydavateľa podľa pokynov vášho IT oddelenia.',
  itsAddresses: 'jej adresy',
  downloadCertificate: 'Stiahnuť certifikát stanice',
  ipadProfile: 'iPad: stiahnuť profil',
  certificate: 'Certifikát',
  fingerprint: 'Odtlačok SHA-256',
  android: [
    'Stiahnite certifikát vyššie.',
    'Otvorte <b>Nastavenia → Zabezpečenie a ochrana súkromia → Ďalšie nastavenia zabezpečenia → Šifrovanie a poverenia → Inštalovať certifikát → Certifikát CA</b> (na niektorých tabletoch: <b>Nastavenia → Zabezpečenie → Inštalovať z úložiska</b>), ťuknite na <b>Napriek tomu nainštalovať</b> a vyberte <i>picking-station-ca.crt</i> zo Stiahnutých súborov.',
    'Otvorte adresu aplikácie nižšie v Chrome, potom <b>⋮ → Pridať na plochu</b>.',
  ],
  ipad: [
    'V Safari ťuknite na <b>iPad: stiahnuť profil</b> a na <b>Povoliť</b>.',
    'Otvorte <b>Nastavenia → Všeobecné → VPN a správa zariadenia</b>, ťuknite na <b>Picking station</b> a potom na <b>Inštalovať</b>.',
    'Otvorte <b>Nastavenia → Všeobecné → Informácie → Nastavenia dôveryhodnosti certifikátov</b> a zapnite plnú dôveru pre <i>Picking station CA</i>.',
    'Otvorte adresu aplikácie nižšie v Safari, potom <b>Zdieľať → Pridať na plochu</b>.',
  ],
  windows: [
    'Stiahnite certifikát vyššie a otvorte ho: <b>Inštalovať certifikát… → Aktuálny používateľ → Všetky certifikáty umiestniť do nasledujúceho úložiska → Prehľadávať → Dôveryhodné koreňové certifikačné autority → Dokončiť</b> a potvrďte.',
    'Zatvorte všetky okná Chrome, otvorte adresu aplikácie nižšie a potom v paneli s adresou <b>Inštalovať</b>.',
  ],
  openHeading: '2. Otvorte aplikáciu',
  otherAddresses: 'Ďalšie adresy stanice:',
  scanToOpenHere: 'Naskenujte tabletom a otvorte túto stránku na ňom:',
  theApp: 'Aplikácia:',
  qrOf: 'QR kód adresy',
}

const pl: SetupWords = {
  title: 'Konfiguracja urządzenia · Stanowisko kompletacji',
  heading: 'Skonfiguruj to urządzenie dla stanowiska kompletacji',
  intro: [
    'Aplikacja działa przez HTTPS, aby tablet mógł ją zachować, pracować offline, a PIN-y i zamówienia pozostały w sieci prywatne. Każde urządzenie raz zaufa stacji; potem otwórz',
    '.',
  ],
  checking: 'Sprawdzam, czy to urządzenie ufa stacji…',
  trusted: 'To urządzenie ufa stacji.',
  untrusted: 'To urządzenie jeszcze nie ufa stacji: wykonaj poniższe kroki, a potem sprawdź ponownie.',
  openApp: 'Otwórz aplikację',
  checkAgain: 'Sprawdź ponownie',
  trustOnce: '1. Zaufaj stacji (raz na urządzenie)',
  trustOrg: '1. Zaufaj stacji',
  orgCertificate: 'Ta stacja używa certyfikatu Twojej organizacji (wystawionego dla {names}). Urządzenia, które ufają jego wystawcy, nie wymagają konfiguracji; na pozostałych zainstaluj certyfikat wystawcy zgodnie z zaleceniami działu IT.',
  itsAddresses: 'jej adresów',
  downloadCertificate: 'Pobierz certyfikat stacji',
  ipadProfile: 'iPad: pobierz profil',
  certificate: 'Certyfikat',
  fingerprint: 'Odcisk SHA-256',
  android: [
    'Pobierz powyższy certyfikat.',
    'Otwórz <b>Ustawienia → Bezpieczeństwo i prywatność → Więcej ustawień zabezpieczeń → Szyfrowanie i dane logowania → Zainstaluj certyfikat → Certyfikat CA</b> (na niektórych tabletach: <b>Ustawienia → Bezpieczeństwo → Zainstaluj z pamięci</b>), dotknij <b>Zainstaluj mimo to</b> i wybierz <i>picking-station-ca.crt</i> z Pobranych.',
    'Otwórz poniższy adres aplikacji w Chrome, a potem <b>⋮ → Dodaj do ekranu głównego</b>.',
  ],
  ipad: [
    'W Safari dotknij <b>iPad: pobierz profil</b> i <b>Zezwól</b>.',
    'Otwórz <b>Ustawienia → Ogólne → VPN i zarządzanie urządzeniem</b>, dotknij <b>Picking station</b>, a potem <b>Instaluj</b>.',
    'Otwórz <b>Ustawienia → Ogólne → To urządzenie → Ustawienia zaufania certyfikatów</b> i włącz pełne zaufanie dla <i>Picking station CA</i>.',
    'Otwórz poniższy adres aplikacji w Safari, a potem <b>Udostępnij → Do ekranu początkowego</b>.',
  ],
  windows: [
    'Pobierz powyższy certyfikat i otwórz go: <b>Zainstaluj certyfikat… → Bieżący użytkownik → Umieść wszystkie certyfikaty w następującym magazynie → Przeglądaj → Zaufane główne urzędy certyfikacji → Zakończ</b> i potwierdź.',
    'Zamknij wszystkie okna Chrome, otwórz poniższy adres aplikacji, a potem <b>Zainstaluj</b> na pasku adresu.',
  ],
  openHeading: '2. Otwórz aplikację',
  otherAddresses: 'Inne adresy stacji:',
  scanToOpenHere: 'Zeskanuj tabletem, aby otworzyć na nim tę stronę:',
  theApp: 'Aplikacja:',
  qrOf: 'Kod QR adresu',
}

const hu: SetupWords = {
  title: 'Eszköz beállítása · Komissiózó állomás',
  heading: 'Állítsa be ezt az eszközt a komissiózó állomáshoz',
  intro: [
    'Az alkalmazás HTTPS-en fut, hogy a táblagép megtarthassa, offline is működjön, és a PIN-ek és rendelések a hálózaton titkosak maradjanak. Minden eszköz egyszer megbízik az állomásban; utána nyissa meg:',
    '.',
  ],
  checking: 'Ellenőrzöm, hogy ez az eszköz megbízik-e az állomásban…',
  trusted: 'Ez az eszköz megbízik az állomásban.',
  untrusted: 'Ez az eszköz még nem bízik meg az állomásban: kövesse az alábbi lépéseket, majd ellenőrizze újra.',
  openApp: 'Az alkalmazás megnyitása',
  checkAgain: 'Újraellenőrzés',
  trustOnce: '1. Bízzon meg az állomásban (eszközönként egyszer)',
  trustOrg: '1. Bízzon meg az állomásban',
  orgCertificate: 'Ez az állomás a szervezete tanúsítványát használja (kiállítva: {names}). A kiállítóban megbízó eszközöknek nincs teendőjük; a többire telepítse a kiállító tanúsítványát az informatikai osztály útmutatása szerint.',
  itsAddresses: 'a címei',
  downloadCertificate: 'Az állomás tanúsítványának letöltése',
  ipadProfile: 'iPad: profil letöltése',
  certificate: 'Tanúsítvány',
  fingerprint: 'SHA-256 ujjlenyomat',
  android: [
    'Töltse le a fenti tanúsítványt.',
    'Nyissa meg: <b>Beállítások → Biztonság és adatvédelem → További biztonsági beállítások → Titkosítás és hitelesítési adatok → Tanúsítvány telepítése → CA-tanúsítvány</b> (egyes táblagépeken: <b>Beállítások → Biztonság → Telepítés tárhelyről</b>), koppintson a <b>Telepítés mégis</b> gombra, és válassza a Letöltések közül a <i>picking-station-ca.crt</i> fájlt.',
    'Nyissa meg az alkalmazás alábbi címét a Chrome-ban, majd <b>⋮ → Hozzáadás a kezdőképernyőhöz</b>.',
  ],
  ipad: [
    'A Safariban koppintson az <b>iPad: profil letöltése</b> gombra, majd az <b>Engedélyezés</b> gombra.',
    'Nyissa meg: <b>Beállítások → Általános → VPN és eszközkezelés</b>, koppintson a <b>Picking station</b> elemre, majd a <b>Telepítés</b> gombra.',
    'Nyissa meg: <b>Beállítások → Általános → Névjegy → Tanúsítványmegbízhatósági beállítások</b>, és kapcsolja be a teljes megbízhatóságot a <i>Picking station CA</i> számára.',
    'Nyissa meg az alkalmazás alábbi címét a Safariban, majd <b>Megosztás → Főképernyőhöz adás</b>.',
  ],
  windows: [
    'Töltse le a fenti tanúsítványt, és nyissa meg: <b>Tanúsítvány telepítése… → Jelenlegi felhasználó → Minden tanúsítvány tárolása ebben a tárolóban → Tallózás → Megbízható legfelső szintű hitelesítésszolgáltatók → Befejezés</b>, és erősítse meg.',
    'Zárjon be minden Chrome-ablakot, nyissa meg az alkalmazás alábbi címét, majd a címsorban <b>Telepítés</b>.',
  ],
  openHeading: '2. Az alkalmazás megnyitása',
  otherAddresses: 'Az állomás további címei:',
  scanToOpenHere: 'Olvassa be a táblagéppel, hogy rajta nyíljon meg ez az oldal:',
  theApp: 'Az alkalmazás:',
  qrOf: 'QR-kód:',
}

const sl: SetupWords = {
  title: 'Nastavitev naprave · Komisionirna postaja',
  heading: 'Nastavite to napravo za komisionirno postajo',
  intro: [
    'Aplikacija teče prek HTTPS, da jo tablica lahko shrani, dela brez povezave, PIN-i in naročila pa ostanejo v omrežju zasebni. Vsaka naprava postaji zaupa enkrat; nato odprite',
    '.',
  ],
  checking: 'Preverjam, ali ta naprava zaupa postaji…',
  trusted: 'Ta naprava zaupa postaji.',
  untrusted: 'Ta naprava postaji še ne zaupa: sledite spodnjim korakom in nato preverite znova.',
  openApp: 'Odpri aplikacijo',
  checkAgain: 'Preveri znova',
  trustOnce: '1. Zaupajte postaji (enkrat za vsako napravo)',
  trustOrg: '1. Zaupajte postaji',
  orgCertificate: 'Ta postaja uporablja potrdilo vaše organizacije (izdano za {names}). Naprave, ki zaupajo izdajatelju, ne potrebujejo nastavitve; na druge namestite potrdilo izdajatelja po navodilih vašega oddelka IT.',
  itsAddresses: 'njene naslove',
  downloadCertificate: 'Prenesi potrdilo postaje',
  ipadProfile: 'iPad: prenesi profil',
  certificate: 'Potrdilo',
  fingerprint: 'Prstni odtis SHA-256',
  android: [
    'Prenesite zgornje potrdilo.',
    'Odprite <b>Nastavitve → Varnost in zasebnost → Več varnostnih nastavitev → Šifriranje in poverilnice → Namesti potrdilo → Potrdilo overitelja</b> (na nekaterih tablicah: <b>Nastavitve → Varnost → Namesti iz shrambe</b>), tapnite <b>Vseeno namesti</b> in iz Prenosov izberite <i>picking-station-ca.crt</i>.',
    'Spodnji naslov aplikacije odprite v Chromu, nato <b>⋮ → Dodaj na začetni zaslon</b>.',
  ],
  ipad: [
    'V Safariju tapnite <b>iPad: prenesi profil</b> in <b>Dovoli</b>.',
    'Odprite <b>Nastavitve → Splošno → VPN in upravljanje naprav</b>, tapnite <b>Picking station</b> in nato <b>Namesti</b>.',
    'Odprite <b>Nastavitve → Splošno → Opis → Nastavitve zaupanja potrdil</b> in vklopite polno zaupanje za <i>Picking station CA</i>.',
    'Spodnji naslov aplikacije odprite v Safariju, nato <b>Deli → Dodaj na začetni zaslon</b>.',
  ],
  windows: [
    'Prenesite zgornje potrdilo in ga odprite: <b>Namesti potrdilo… → Trenutni uporabnik → Vsa potrdila shrani v to shrambo → Prebrskaj → Zaupanja vredni overitelji korenskih potrdil → Dokončaj</b> in potrdite.',
    'Zaprite vsa okna Chroma, odprite spodnji naslov aplikacije in nato v naslovni vrstici <b>Namesti</b>.',
  ],
  openHeading: '2. Odprite aplikacijo',
  otherAddresses: 'Drugi naslovi postaje:',
  scanToOpenHere: 'Skenirajte s tablico, da se ta stran odpre na njej:',
  theApp: 'Aplikacija:',
  qrOf: 'Koda QR naslova',
}

const hr: SetupWords = {
  title: 'Postavljanje uređaja · Stanica za komisioniranje',
  heading: 'Postavite ovaj uređaj za stanicu za komisioniranje',
  intro: [
    'Aplikacija radi preko HTTPS-a kako bi je tablet mogao zadržati, raditi izvan mreže, a PIN-ovi i narudžbe ostali privatni na mreži. Svaki uređaj jednom vjeruje stanici; nakon toga otvorite',
    '.',
  ],
  checking: 'Provjeravam vjeruje li ovaj uređaj stanici…',
  trusted: 'Ovaj uređaj vjeruje stanici.',
  untrusted: 'Ovaj uređaj još ne vjeruje stanici: slijedite korake u nastavku, zatim provjerite ponovno.',
  openApp: 'Otvori aplikaciju',
  checkAgain: 'Provjeri ponovno',
  trustOnce: '1. Vjerujte stanici (jednom po uređaju)',
  trustOrg: '1. Vjerujte stanici',
  orgCertificate: 'Ova stanica koristi certifikat vaše organizacije (izdan za {names}). Uređaji koji vjeruju njegovom izdavatelju ne trebaju postavljanje; na ostale instalirajte certifikat izdavatelja prema uputama vašeg IT odjela.',
  itsAddresses: 'njezine adrese',
  downloadCertificate: 'Preuzmi certifikat stanice',
  ipadProfile: 'iPad: preuzmi profil',
  certificate: 'Certifikat',
  fingerprint: 'SHA-256 otisak',
  android: [
    'Preuzmite gornji certifikat.',
    'Otvorite <b>Postavke → Sigurnost i privatnost → Više sigurnosnih postavki → Šifriranje i vjerodajnice → Instaliraj certifikat → CA certifikat</b> (na nekim tabletima: <b>Postavke → Sigurnost → Instaliraj iz memorije</b>), dodirnite <b>Ipak instaliraj</b> i odaberite <i>picking-station-ca.crt</i> iz Preuzimanja.',
    'Otvorite adresu aplikacije u nastavku u Chromeu, zatim <b>⋮ → Dodaj na početni zaslon</b>.',
  ],
  ipad: [
    'U Safariju dodirnite <b>iPad: preuzmi profil</b> i <b>Dopusti</b>.',
    'Otvorite <b>Postavke → Općenito → VPN i upravljanje uređajem</b>, dodirnite <b>Picking station</b>, zatim <b>Instaliraj</b>.',
    'Otvorite <b>Postavke → Općenito → Opće informacije → Postavke povjerenja za certifikate</b> i uključite puno povjerenje za <i>Picking station CA</i>.',
    'Otvorite adresu aplikacije u nastavku u Safariju, zatim <b>Dijeli → Dodaj na početni zaslon</b>.',
  ],
  windows: [
    'Preuzmite gornji certifikat i otvorite ga: <b>Instaliraj certifikat… → Trenutni korisnik → Smjesti sve certifikate u sljedeće spremište → Pregledaj → Pouzdani izdavači korijenskih certifikata → Završi</b> i potvrdite.',
    'Zatvorite sve prozore Chromea, otvorite adresu aplikacije u nastavku, zatim <b>Instaliraj</b> u adresnoj traci.',
  ],
  openHeading: '2. Otvorite aplikaciju',
  otherAddresses: 'Ostale adrese stanice:',
  scanToOpenHere: 'Skenirajte tabletom da se ova stranica otvori na njemu:',
  theApp: 'Aplikacija:',
  qrOf: 'QR kod adrese',
}

export const SETUP_WORDS: Readonly<Record<Language, SetupWords>> = { en, cs, sk, pl, hu, sl, hr }

/**
 * The language a browser asks for in `Accept-Language` (`cs-CZ,cs;q=0.9,en;q=0.8`), by weight,
 * among the seven; English otherwise.
 */
export function languageOfAcceptLanguage(header: string | undefined): Language {
  const asked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1)
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  // By weight, then as a browser's own list: the first the app speaks.
  return languageFromBrowser(asked.map((entry) => entry.tag))
}
