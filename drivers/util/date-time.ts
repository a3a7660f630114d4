/**
 * xsd:dateTime to Unix seconds, as esxVI_DateTime_ConvertToCalendarTime does it:
 * "[-]YYYY-MM-DDThh:mm:ss[.frac][Z|(+|-)hh:mm]". No zone means UTC, fractional seconds
 * are ignored and a negative year gives 0.
 */
import { InvalidInputError } from "../../errors/esxvi-error.js";

const PATTERN = /^(-?)(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function dateTimeToEpoch(value: string): number {
  const m = PATTERN.exec(value);
  if (!m) throw new InvalidInputError(`xsd:dateTime value '${value}' has unexpected format`);
  const [, sign, year, month, day, hour, minute, second, , zone] = m;
  if (sign === "-") return 0;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const utc = date.getTime();
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== "Z") {
    const zoneSign = zone.startsWith("-") ? -1 : 1;
    offsetMinutes = zoneSign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return Math.floor(utc / 1000) - offsetMinutes * 60;
}
