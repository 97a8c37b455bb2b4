import type { ReactNode } from "react";
import { tableClass } from "./forms";

// A column header: its label, and classes such as "hidden sm:table-cell" (a column phones leave out) or "text-right".
export type Column = string | { label: string; className: string };

/**
 * The dashboard's table: a caption for screen readers, a header row of columns (with an unlabelled Actions column
 * at the end when `actions`), and the rows the caller renders as children.
 */
export function DataTable({
  caption,
  columns,
  actions = false,
  className = "w-full border-collapse",
  children,
}: {
  caption: string;
  columns: readonly Column[];
  actions?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={tableClass.wrapper}>
      <table className={className}>
        <caption className="sr-only">{caption}</caption>
        <thead className={tableClass.head}>
          <tr>
            {columns.map((column) => {
              const { label, className: columnClass } = typeof column === "string" ? { label: column, className: "" } : column;
              return (
                <th key={label} scope="col" className={`${tableClass.headCell} ${columnClass}`}>
                  {label}
                </th>
              );
            })}
            {actions && (
              <th scope="col" className={`${tableClass.headCell} text-right`}>
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className={tableClass.body}>{children}</tbody>
      </table>
    </div>
  );
}
