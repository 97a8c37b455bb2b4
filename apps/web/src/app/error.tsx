"use client";

export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="mx-auto my-12 max-w-lg rounded-md border border-red-500/40 bg-red-500/10 px-4 py-3">
      <p className="font-medium text-red-200">This page could not be loaded.</p>
      <p className="mt-1 text-red-300/80">The server did not answer as expected. It has been logged.</p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded border border-red-400/40 px-2.5 py-1 text-red-100 hover:border-red-300"
      >
        Try again
      </button>
    </div>
  );
}
