/** One named figure of a `<dl className="figures">`. */
export function Figure({ name, value, tone }: { name: string; value: string; tone?: 'good' | 'bad' }) {
  return (
    <div className={tone}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}
