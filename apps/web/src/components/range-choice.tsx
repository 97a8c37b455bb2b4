// A row of toggle buttons choosing one range (the bot page's KPI and market charts): the pressed one is the range shown.
export function RangeChoice<T extends string>({
  label,
  options,
  value,
  onChange,
  className = "inline-flex",
}: {
  label: string;
  options: readonly T[];
  value: T;
  onChange: (option: T) => void;
  className?: string;
}) {
  return (
    <div role="group" aria-label={label} className={`${className} overflow-hidden rounded border border-neutral-800 text-xs`}>
      {options.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={value === option}
          onClick={() => onChange(option)}
          className={`px-2.5 py-1 font-mono ${value === option ? "bg-neutral-800 text-neutral-50" : "text-neutral-400 hover:bg-neutral-900"}`}
        >
          {option}
        </button>
      ))}
    </div>
  );
}
