import { DEMO_ACCOUNT, type Store, type StoredTensorboard } from '../store.js';
import { HOUR, prng } from './random.js';

/**
 * Demo TensorBoards in every status. Times are relative to when the data is loaded, because
 * ListTensorboards shows the last 7 days by default; ids are the same on every start.
 */

type Demo = Omit<StoredTensorboard, 'seq' | 'TensorboardId' | 'WorkspaceId' | 'UserId' | 'Username' | 'createdAt' | 'modifiedAt' | 'startedAt' | 'stoppedAt' | 'terminal'> & {
  ageHours: number;
  stoppedHoursAgo?: number;
  terminal?: { status: 'Succeeded' | 'Failed'; hoursAgo: number; reasonCode: string; reasonMessage: string };
};

const job = (id: string, name: string): Pick<Demo, 'JobId' | 'SourceType' | 'SourceId' | 'SummaryPath' | 'TensorboardDataSources'> => ({
  JobId: id,
  SourceType: 'job',
  SourceId: id,
  SummaryPath: `oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/${id}/tensorboard/`,
  TensorboardDataSources: [{ Id: id, Name: name, SourceType: 'dlcjob', DataSourceType: 'OSS', Uri: `oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/${id}/`, SummaryPath: 'tensorboard/', FullSummaryPath: `oss://pai-dlc-logs.oss-cn-hangzhou.aliyuncs.com/${id}/tensorboard/`, DirectoryName: name }],
});

const TENSORBOARDS: Demo[] = [
  { DisplayName: 'qwen-sft-run-42', ...job('dlc-20250306101500-qwensft42', 'qwen-sft-run-42'), MaxRunningTimeMinutes: 1440, Priority: '3', Accessibility: 'PUBLIC', ageHours: 2 },
  { DisplayName: 'yolov8-shelf-sweep', ...job('dlc-20250306080000-yoloshelf', 'yolov8-shelf-sweep'), MaxRunningTimeMinutes: 720, Priority: '1', Accessibility: 'PRIVATE', ageHours: 5 },
  { DisplayName: 'whisper-domain-adapt', ...job('dlc-20250305120000-whisperda', 'whisper-domain-adapt'), MaxRunningTimeMinutes: 240, Priority: '1', Accessibility: 'PRIVATE', ageHours: 30, stoppedHoursAgo: 26 },
  { DisplayName: 'bert-cls-baseline', ...job('dlc-20250304090000-bertcls01', 'bert-cls-baseline'), MaxRunningTimeMinutes: 120, Priority: '1', Accessibility: 'PUBLIC', ageHours: 50 },
  { DisplayName: 'ctr-deepfm-ablation', DataSourceId: 'd-ctrlogs2025', DataSourceType: 'OSS', SummaryPath: 'oss://pai-ctr.oss-cn-hangzhou.aliyuncs.com/ablation/summaries/', TensorboardDataSources: [], MaxRunningTimeMinutes: 600, Priority: '2', Accessibility: 'PRIVATE', Cpu: 2, Memory: 8, TensorboardSpec: { EcsType: 'ecs.g6.large', VpcId: 'vpc-demo01', SwitchId: 'vsw-demo01', SecurityGroupId: 'sg-demo01' }, ageHours: 72, terminal: { status: 'Failed', hoursAgo: 70, reasonCode: 'SummaryPathNotFound', reasonMessage: 'No event files were found under the summary path.' } },
  { DisplayName: 'resnet50-finetune', ...job('dlc-20250301150000-resnet50ft', 'resnet50-finetune'), MaxRunningTimeMinutes: 180, Priority: '1', Accessibility: 'PUBLIC', ageHours: 120, terminal: { status: 'Succeeded', hoursAgo: 117, reasonCode: 'Succeeded', reasonMessage: 'The job finished and the TensorBoard was released.' } },
  { DisplayName: 'old-experiment-2024', ...job('dlc-20241201000000-oldexp2024', 'old-experiment-2024'), MaxRunningTimeMinutes: 60, Priority: '1', Accessibility: 'PRIVATE', ageHours: 24 * 30, stoppedHoursAgo: 24 * 30 - 1 },
];

export function loadDemoTensorboards(store: Store): void {
  const rand = prng(20250109);
  const now = store.clock.now().getTime();
  TENSORBOARDS.forEach(({ ageHours, stoppedHoursAgo, terminal, ...t }, i) => {
    const created = now - ageHours * HOUR;
    let suffix = '';
    for (let k = 0; k < 12; k += 1) suffix += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rand() * 36)];
    const id = `tensorboard-2025030${(i % 9) + 1}1000${i}0-${suffix}`;
    store.tensorboards.set(id, {
      ...t,
      seq: store.nextSeq(),
      TensorboardId: id,
      WorkspaceId: DEMO_ACCOUNT.WorkspaceId,
      UserId: DEMO_ACCOUNT.UserId,
      Username: 'demo-user',
      createdAt: created,
      modifiedAt: created,
      startedAt: created,
      ...(stoppedHoursAgo !== undefined ? { stoppedAt: now - stoppedHoursAgo * HOUR } : {}),
      ...(terminal ? { terminal: { status: terminal.status, at: now - terminal.hoursAgo * HOUR, reasonCode: terminal.reasonCode, reasonMessage: terminal.reasonMessage } } : {}),
    });
  });
}
