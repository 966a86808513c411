// « Ouvert maintenant, ferme à 17 h » / « Fermé, ouvre lundi à 9 h », in the time of the place the service
// is (Réunion and Guadeloupe are not Paris), whatever the time zone of the phone that reads the page.
// The week comes from the build (annuaire360/site/horaires.py): {z: time zone, s: open minutes of Monday…
// Sunday, x: {date: open minutes} for the days that differ (public holidays…), f: the last day known}.
// Without JavaScript, or after that last day, the hours stay in words only.

const DAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
  "novembre", "décembre"];
const LOOK_AHEAD = 14; // days: beyond, « fermé » without saying when it opens

// The date and the minute of the day in a time zone, as numbers.
export function localNow(zone, now = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(now).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, minute: +parts.hour * 60 + +parts.minute };
}

// Calendar arithmetic on the local date, through UTC noon so that no time zone can shift the day.
function dayAfter(date, n) {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + n, 12));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

function iso(date) {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

function clock(minute) {
  const h = Math.floor(minute / 60) % 24;
  const m = minute % 60;
  return m ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h`;
}

// Open minutes of a local date: the day that differs, else the usual weekday (s is Monday first).
function openOn(week, date) {
  const key = iso(date);
  if (key in week.x) return week.x[key];
  return week.s[(date.weekday + 6) % 7];
}

function when(offset, date) {
  if (offset === 0) return "";
  if (offset === 1) return "demain ";
  if (offset < 7) return `${DAYS[date.weekday]} `;
  return `le ${date.day === 1 ? "1er" : date.day} ${MONTHS[date.month - 1]} `;
}

// The sentence for a week at an instant, or null when the week does not cover that day.
export function status(week, now = new Date()) {
  const here = localNow(week.z, now);
  const today = dayAfter(here, 0);
  if (iso(today) > week.f) return null;
  const todays = openOn(week, today);
  const current = todays.find(([start, end]) => start <= here.minute && here.minute < end);
  if (current) {
    // Open: when it closes, following an opening that runs on past midnight.
    let end = current[1];
    let offset = 0;
    while (end >= 1440 && offset < LOOK_AHEAD) {
      const next = openOn(week, dayAfter(here, offset + 1)).find(([start]) => start === 0);
      if (!next) break;
      offset += 1;
      end = next[1];
    }
    if (end >= 1440 && offset >= LOOK_AHEAD) return { open: true, text: "Ouvert maintenant, 24 h sur 24" };
    const closing = end >= 1440 ? "à minuit" : `à ${clock(end)}`;
    return { open: true, text: `Ouvert maintenant, ferme ${when(offset, dayAfter(here, offset))}${closing}` };
  }
  for (let offset = 0; offset <= LOOK_AHEAD; offset++) {
    const date = dayAfter(here, offset);
    if (iso(date) > week.f) break;
    const next = openOn(week, date).find(([start]) => offset > 0 || start > here.minute);
    if (next) return { open: false, text: `Fermé, ouvre ${when(offset, date)}à ${clock(next[0])}` };
  }
  return { open: false, text: "Fermé" };
}

function show(element) {
  let week;
  try {
    week = JSON.parse(element.dataset.horaires);
  } catch {
    return;
  }
  const found = status(week);
  element.textContent = found ? found.text : "";
  element.classList.toggle("ouvert--ouvert", !!(found && found.open));
}

const elements = [...document.querySelectorAll("[data-horaires]")];
for (const element of elements) show(element);
// A page left open: the sentence follows the clock.
if (elements.length) setInterval(() => elements.forEach(show), 60_000);
