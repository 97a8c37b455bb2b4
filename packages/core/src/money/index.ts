export { Decimal, dec, decimalToString, DECIMAL_STRING } from "./decimal";
export { decimalString, DEFAULT_DECIMAL_MAX, PLAIN_DECIMAL, type DecimalStringOptions } from "./decimal-string";
export {
  buildInstrument,
  roundPrice,
  roundQuantity,
  quantityForNotional,
  validateOrder,
  validateOrderOnGrid,
  checkPercentPriceBySide,
  InstrumentError,
  SYMBOL_STATUSES,
  type ExchangeFilterInput,
  type InstrumentInput,
  type Instrument,
  type SymbolStatus,
  type PercentPriceBySide,
  type FilterName,
  type OrderValidation,
  type OrderCheck,
} from "./instrument";
export { InstrumentGrid, type GridRounding, type GridFilterInput, type GridFailure, type NotionalUnits } from "./fixed-point";
