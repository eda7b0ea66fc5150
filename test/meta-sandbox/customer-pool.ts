// The people the customer simulator writes as: a dozen customers across scripts and directions
// (Latin with accents, Arabic and Hebrew right-to-left, Devanagari), so the dashboard and the ingest
// see realistic names from the first minute. Numbers use fictional ranges (US 555-01xx, UK 07700
// 900xxx and look-alikes elsewhere). Every customer has a BSUID, as every message has carried
// `user_id` since April 2026; two have adopted a username, so Meta withholds their number.
import type { LocationPayload, Sender } from './payloads.ts';

export type Language = 'en' | 'es' | 'pt' | 'ar' | 'he' | 'hi' | 'de' | 'fr' | 'tr';

export interface SimulatedCustomer extends Sender {
  language: Language;
  /** A place this customer might share: home, a pickup point, where a parcel was left. */
  place: LocationPayload;
}

export const simulatedCustomers: readonly SimulatedCustomer[] = [
  {
    name: 'Sheena Nelson',
    waId: '16505550123',
    userId: 'US.13491208655302741918',
    language: 'en',
    place: { latitude: 37.4530, longitude: -122.1817, name: 'Home', address: '1 Hacker Way, Menlo Park, CA 94025' },
  },
  {
    name: 'Marcus Chen',
    waId: '14155550147',
    userId: 'US.88021937465510293847',
    language: 'en',
    place: { latitude: 37.7793, longitude: -122.4193, name: 'Civic Center Parcel Lockers', address: '1 Dr Carlton B Goodlett Pl, San Francisco, CA 94102' },
  },
  {
    name: 'Oliver Bennett',
    waId: '447700900123',
    userId: 'GB.50729183746501928374',
    language: 'en',
    place: { latitude: 51.5246, longitude: -0.0839, address: 'Shoreditch High St, London E1 6JE' },
  },
  {
    name: 'Lucía Fernández',
    waId: '34655501234',
    userId: 'ES.29384756102938475610',
    language: 'es',
    place: { latitude: 40.4168, longitude: -3.7038, name: 'Puerta del Sol', address: 'Plaza de la Puerta del Sol, 28013 Madrid' },
  },
  {
    name: 'João Pereira',
    waId: '5511955550147',
    userId: 'BR.73910284756019283746',
    language: 'pt',
    place: { latitude: -23.5614, longitude: -46.6559, name: 'Avenida Paulista', address: 'Av. Paulista, 1578 - Bela Vista, São Paulo - SP' },
  },
  {
    name: 'Ana Souza',
    userId: 'BR.40192837465019283745',
    username: '@ana.souza',
    countryCode: 'BR',
    language: 'pt',
    place: { latitude: -22.9711, longitude: -43.1822, address: 'Av. Atlântica, Copacabana, Rio de Janeiro - RJ' },
  },
  {
    name: 'أحمد الفارسي',
    waId: '971505550123',
    userId: 'AE.61029384756102938475',
    language: 'ar',
    place: { latitude: 25.1972, longitude: 55.2744, name: 'دبي مول', address: 'Financial Center Rd, Downtown Dubai' },
  },
  {
    name: 'فاطمة الزهراء',
    waId: '201005550188',
    userId: 'EG.19283746501928374650',
    language: 'ar',
    place: { latitude: 30.0444, longitude: 31.2357, address: 'ميدان التحرير، القاهرة' },
  },
  {
    name: 'נועה כהן',
    waId: '972545550111',
    userId: 'IL.83746501928374650192',
    language: 'he',
    place: { latitude: 32.0853, longitude: 34.7818, name: 'כיכר רבין', address: 'אבן גבירול, תל אביב-יפו' },
  },
  {
    name: 'Priya Sharma',
    waId: '919855501234',
    userId: 'IN.56473829105647382910',
    parentUserId: 'US.ENT.70981234567890123456',
    language: 'hi',
    place: { latitude: 28.6315, longitude: 77.2167, name: 'Connaught Place', address: 'Connaught Place, New Delhi, Delhi 110001' },
  },
  {
    name: 'Lukas Müller',
    waId: '4915205550123',
    userId: 'DE.38475610293847561029',
    language: 'de',
    place: { latitude: 52.5200, longitude: 13.4050, name: 'Packstation 152', address: 'Alexanderplatz 1, 10178 Berlin' },
  },
  {
    name: 'Camille Dubois',
    userId: 'FR.92837465019283746501',
    username: '@camille.dbs',
    countryCode: 'FR',
    language: 'fr',
    place: { latitude: 48.8566, longitude: 2.3522, address: "Place de l'Hôtel de Ville, 75004 Paris" },
  },
  {
    name: 'Mehmet Yılmaz',
    waId: '905325550123',
    userId: 'TR.47561029384756102938',
    language: 'tr',
    place: { latitude: 41.0370, longitude: 28.9850, name: 'Taksim Meydanı', address: 'Taksim, Beyoğlu/İstanbul' },
  },
];
